"""English → Chinese terms of UN anti-trafficking drafting, so English questions reach the Chinese text.

Dense retrieval (multilingual e5) already crosses languages; these terms give BM25 and clause selection
the Chinese words an English question means. The list is the vocabulary of GA resolutions on trafficking
in persons (the official UN terminology), not a list of questions.
"""

from __future__ import annotations

import re

TERMS: dict[str, str] = {
    "high-level meeting": "高级别会议", "high level meeting": "高级别会议",
    "secretary-general": "秘书长", "secretary general": "秘书长",
    "president of the general assembly": "大会主席", "general assembly": "大会", "president": "主席",
    "trust fund": "信托基金", "voluntary trust fund": "自愿信托基金",
    "special rapporteur": "特别报告员", "special representative": "特别代表",
    "office on drugs and crime": "毒品和犯罪问题办公室", "unodc": "毒品和犯罪问题办公室",
    "international labour organization": "国际劳工组织", "ilo": "国际劳工组织",
    "international organization for migration": "国际移民组织", "iom": "国际移民组织",
    "unicef": "儿童基金会", "children's fund": "儿童基金会", "un-women": "妇女署", "un women": "妇女署",
    "unhcr": "难民事务高级专员", "refugees": "难民", "ohchr": "人权事务高级专员办事处",
    "high commissioner for human rights": "人权事务高级专员",
    "human rights council": "人权理事会", "economic and social council": "经济及社会理事会",
    "commission on crime prevention and criminal justice": "预防犯罪和刑事司法委员会",
    "crime prevention and criminal justice": "预防犯罪和刑事司法",
    "transnational organized crime": "跨国有组织犯罪", "convention": "公约", "protocol": "议定书",
    "optional protocol": "任择议定书", "global plan of action": "全球行动计划", "plan of action": "行动计划",
    "inter-agency coordination group": "机构间打击贩运人口协调小组", "coordination group": "协调小组",
    "conference of the parties": "缔约方会议", "working group": "工作组", "parties": "缔约方",
    "states parties": "缔约国", "member states": "会员国", "governments": "各国政府",
    "victims": "受害者", "victim": "受害者", "trafficking": "贩运", "traffickers": "贩运行为人",
    "trafficking in persons": "贩运人口", "human trafficking": "人口贩运", "smuggling of migrants": "偷运移徙者",
    "women": "妇女", "girls": "女童", "children": "儿童", "child": "儿童", "slavery": "奴隶制",
    "forced labour": "强迫劳动", "forced labor": "强迫劳动", "child labour": "童工", "worst forms": "最恶劣形式",
    "sexual exploitation": "性剥削", "labour exploitation": "劳动剥削", "sex tourism": "色情旅游",
    "child pornography": "儿童色情制品", "child prostitution": "儿童卖淫", "sale of children": "买卖儿童",
    "data": "数据", "database": "数据库", "private sector": "私营部门", "civil society": "民间社会",
    "media": "媒体", "non-governmental organizations": "非政府组织", "ngos": "非政府组织",
    "intergovernmental organizations": "政府间组织", "capacity-building": "能力建设",
    "capacity building": "能力建设", "technical assistance": "技术援助", "co-facilitators": "共同协调人",
    "summary": "纪要", "report": "报告", "global report": "全球报告", "reports": "报告",
    "resources": "资源", "existing resources": "现有资源", "voluntary contributions": "自愿捐助",
    "contributions": "捐款", "contribute": "捐款", "funding": "供资", "headquarters": "总部",
    "treaty series": "条约汇编", "volume": "卷", "third committee": "第三委员会",
    "committee": "委员会", "main committee": "委员会",
    "plenary meeting": "全体会议", "agenda item": "议程项目", "session": "届会议", "adopted": "通过",
    "criminalize": "定为刑事犯罪", "criminalise": "定为刑事犯罪", "prosecute": "起诉", "punish": "惩处",
    "poverty": "贫穷", "unemployment": "失业", "discrimination": "歧视", "violence": "暴力",
    "gender": "性别", "age": "年龄", "disability": "残疾", "statelessness": "无国籍", "stateless": "无国籍",
    "birth registration": "出生登记", "economic crisis": "经济危机", "public awareness": "公众的认识",
    "demand": "需求", "millennium summit": "千年首脑会议", "world summit": "世界首脑会议",
    "millennium development goals": "千年发展目标", "vienna": "维也纳", "new york": "纽约",
    "geneva": "日内瓦", "united states": "美国", "china": "中国", "united kingdom": "英国", "france": "法国",
    "russia": "俄罗斯",
    "interactive dialogue": "互动对话", "partnerships": "伙伴关系", "global partnership": "全球伙伴关系",
    "cooperation": "合作", "coordination": "协调", "countries of origin": "原籍国", "transit": "过境国",
    "destination": "目的地国", "human rights": "人权", "fundamental freedoms": "基本自由",
    "effective remedies": "有效补救", "remedy": "补救", "protection": "保护", "assistance": "援助",
    "principles and guidelines": "原则和准则", "guidelines": "准则", "integration": "融入社区",
    "best practices": "最佳做法", "good practices": "良好做法", "stakeholders": "利益攸关方",
    "implementation": "执行", "progress": "进展", "appraise": "评估", "assess": "评估",
    "achievements": "成就", "gaps": "差距", "challenges": "挑战", "legal instruments": "法律文书",
    "ratify": "批准", "ratified": "批准", "accede": "加入", "signed": "签署", "sign": "签署",
    "deeply concerned": "关切", "concern": "关切", "recall": "回顾", "reaffirm": "重申", "urge": "敦促",
    "call upon": "吁请", "calls upon": "吁请", "encourage": "鼓励", "decide": "决定", "request": "请",
    "welcome": "欢迎", "acknowledge": "肯定", "recognize": "确认", "recognise": "确认",
    "notes with appreciation": "赞赏地注意到", "taking note": "注意到", "takes note": "注意到", "stress": "强调",
    "aware": "意识到", "invite": "邀请", "affirm": "申明", "emphasize": "强调",
    "comparable data": "可比数据", "sex and age": "性别和年龄", "ethnicity": "族裔", "religion": "宗教",
    "social exclusion": "社会排斥", "inequality": "不平等", "distribution": "Distr", "meeting": "会议",
    "vulnerable": "易受", "vulnerability": "易受", "launch": "推出", "launched": "推出", "appoint": "任命",
    "cofacilitators": "共同协调人", "co facilitators": "共同协调人", "ga": "大会", "unga": "大会",
    "prepare": "编写", "convene": "召开", "submit": "提交",
    "humanitarian": "人道主义", "legal": "法律", "financial": "资金", "intermediaries": "中介人",
    "organized crime": "有组织犯罪", "multilateral": "多边合作", "assessment": "评估",
    # the principal organs a question may name though this text does not
    "security council": "安全理事会", "international court of justice": "国际法院", "secretariat": "秘书处",
    "trusteeship council": "托管理事会",
    # the abbreviations delegates and UN staff write for bodies and office-holders
    "pga": "大会主席", "sg": "秘书长", "unsg": "秘书长", "ecosoc": "经济及社会理事会", "hrc": "人权理事会",
    "ccpcj": "预防犯罪和刑事司法委员会", "cop": "缔约方会议", "icat": "机构间打击贩运人口协调小组",
    "untoc": "联合国打击跨国有组织犯罪公约", "contemporary forms of slavery": "当代形式奴隶制",
}
# A term matches with the common English endings too (urge → urges, urged, urging; victim → victims).
_PATTERN = re.compile(
    r"(?<![a-z])(" + "|".join(sorted(map(re.escape, TERMS), key=len, reverse=True)) + r")(?:s|es|d|ed|ing)?(?![a-z])",
    re.I,
)


def chinese_terms(question: str) -> list[str]:
    """The Chinese terms an English question names, longest match first, in order."""
    out: list[str] = []
    for m in _PATTERN.finditer(question):
        zh = TERMS[m.group(1).lower()]
        if zh not in out:
            out.append(zh)
    return out


_ANY = "|".join(sorted(map(re.escape, TERMS), key=len, reverse=True))
# "trust fund for contemporary forms of slavery": English puts the head first, Chinese last (…奴隶制…信托基金).
_OF_PHRASE = re.compile(rf"(?<![a-z])(?P<head>{_ANY})s?\s+(?:for|of|on|against)\s+(?:the\s+)?(?P<mod>{_ANY})"
                        r"(?:s|es)?(?![a-z])", re.I)


def mixed_to_chinese(question: str) -> str:
    """A Chinese question with English terms in it ("UNODC 的 global report 什么时候 launch") with those terms
    in the text's Chinese: people switch languages mid-sentence; the Chinese text does not."""
    if not re.search(r"[\u4e00-\u9fff]", question):
        return question
    question = _OF_PHRASE.sub(lambda m: TERMS[m.group("mod").lower()] + TERMS[m.group("head").lower()], question)
    return _PATTERN.sub(lambda m: TERMS[m.group(1).lower()], question)
