() => {
  // resqa web chat: citation chips (links to #para-<ID>) become focus events instead of plain jumps.
  // A chip in the chat shows its paragraph first in the source panel (a Python event re-renders it);
  // a chip inside the panels (footnotes, "cited by", "show in full text") jumps to the full text.
  const TAB_BUTTON = { src: "resqa-tab-sources-button", full: "resqa-tab-full-button" };
  let focusId = "";

  const selectTab = (which) => {
    const button = document.getElementById(TAB_BUTTON[which]);
    if (button && button.getAttribute("aria-selected") !== "true") button.click();
  };
  const flash = (el) => {
    el.classList.remove("resqa-flash");
    void el.offsetWidth; // restart the animation on a second click
    el.classList.add("resqa-flash");
  };
  const markInFullText = (pid) => {
    document.querySelectorAll(".resqa-para.focus").forEach((el) => el.classList.remove("focus"));
    const el = document.getElementById("para-" + pid);
    if (el) el.classList.add("focus");
    return el;
  };
  const showInFullText = (pid, tries = 20) => {
    focusId = pid;
    selectTab("full");
    const el = markInFullText(pid);
    if (!el || el.offsetParent === null) {
      if (tries > 0) setTimeout(() => showInFullText(pid, tries - 1), 50); // the tab is still switching
      return;
    }
    el.scrollIntoView({ block: "center", behavior: document.body.classList.contains("resqa-sheet-open") ? "instant" : "smooth" });
    flash(el);
  };

  // Phones: the source panel opens as a sheet over the chat, with a button back to where the reader was.
  const narrow = () => window.matchMedia("(max-width: 640px)").matches;
  let sheetScroll = null;
  const closeSheet = () => {
    if (!document.body.classList.contains("resqa-sheet-open")) return;
    document.body.classList.remove("resqa-sheet-open");
    if (sheetScroll !== null) window.scrollTo({ top: sheetScroll, behavior: "instant" });
    sheetScroll = null;
  };
  const openSheet = () => {
    if (!narrow()) return;
    let close = document.getElementById("resqa-sheet-close");
    if (!close) {
      close = document.createElement("button");
      close.id = "resqa-sheet-close";
      close.type = "button";
      close.addEventListener("click", closeSheet);
      document.body.appendChild(close);
    }
    const names = document.querySelector("#resqa-header .resqa-toast-titles");
    close.textContent = (names && names.dataset.close) || "←";
    if (sheetScroll === null) sheetScroll = window.scrollY;
    document.body.classList.add("resqa-sheet-open");
    const side = document.getElementById("resqa-side");
    if (side) side.scrollTop = 0;
  };
  document.addEventListener("keydown", (event) => { if (event.key === "Escape") closeSheet(); });
  window.matchMedia("(max-width: 640px)").addEventListener("change", (event) => { if (!event.matches) closeSheet(); });
  window.resqaCloseSheet = closeSheet;

  // The question box gets the focus on wider screens only: on a phone the keyboard would cover the page and
  // the browser would scroll the title away.
  const focusQuestion = (tries = 40) => {
    const box = document.querySelector("#resqa-question textarea");
    if (!box) {
      if (tries > 0) setTimeout(() => focusQuestion(tries - 1), 100);
      return;
    }
    if (!narrow()) box.focus({ preventScroll: true });
  };
  focusQuestion();

  window.resqaFocusId = () => focusId;
  window.resqaScrollToSource = () => {
    const el = document.getElementById("src-" + focusId);
    if (el) {
      el.scrollIntoView({ block: "nearest", behavior: "smooth" });
      flash(el);
    }
    return [];
  };
  window.resqaCopy = async (text, lang) => {
    if (!text) return [];
    try {
      await navigator.clipboard.writeText(text);
    } catch (err) {
      // No clipboard API (e.g. a plain-http address that is not localhost): the old way.
      const area = document.createElement("textarea");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    const button = document.getElementById("resqa-copy");
    if (button) {
      button.classList.add("copied");
      setTimeout(() => button.classList.remove("copied"), 1500);
    }
    return [];
  };

  document.addEventListener("click", (event) => {
    const chip = event.target.closest ? event.target.closest("a.resqa-chip") : null;
    if (!chip) return;
    event.preventDefault();
    event.stopPropagation();
    // The id comes from the href: the chat's HTML sanitiser keeps href and class but drops data-*.
    const pid = (chip.getAttribute("href") || "").replace(/^#para-/, "");
    if (!pid) return;
    history.replaceState(null, "", "#para-" + pid);
    if (chip.classList.contains("to-full")) {
      showInFullText(pid);
      return;
    }
    focusId = pid;
    markInFullText(pid);
    selectTab("src");
    if (chip.closest("#resqa-chat")) openSheet();
    const go = document.getElementById("resqa-focus-go");
    if (go) go.click();
  }, true);

  // The full-text tab is only put in the page when opened, and is redrawn after each answer: whenever
  // it (re)appears, mark the paragraph last clicked again.
  // Gradio titles its toasts with the English type name ("Warning") whatever gr.Warning(title=...) says:
  // show the title in the interface's language, which the header carries (render.header).
  const retitle = () => {
    const names = document.querySelector("#resqa-header .resqa-toast-titles");
    if (!names) return;
    document.querySelectorAll("[data-testid='toast-body'] .toast-title").forEach((el) => {
      const kind = ["info", "warning", "error", "success"].find((k) => el.classList.contains(k));
      const node = el.firstChild;
      const title = kind && names.dataset[kind];
      if (title && node && node.nodeType === Node.TEXT_NODE && node.nodeValue !== title + " ") {
        node.nodeValue = title + " ";
      }
    });
  };
  new MutationObserver(() => {
    const el = focusId && document.getElementById("para-" + focusId);
    if (el && !el.classList.contains("focus")) markInFullText(focusId);
    retitle();
  }).observe(document.body, { childList: true, subtree: true, characterData: true });

  // A shared link such as …/#para-OP12 opens the full text at that paragraph.
  const hash = decodeURIComponent(location.hash || "");
  if (hash.startsWith("#para-")) setTimeout(() => showInFullText(hash.slice(6)), 300);
}
