// Small behaviours only; pages work without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".menu-toggle");
  const nav = document.getElementById("mainnav");
  if (toggle && nav) {
    toggle.addEventListener("click", () => {
      const open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  // The language switch in the footer sends itself (no inline onchange: the CSP refuses it).
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.submit());
  }
  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => window.print());
  }
  // On a shared computer the next person must not send what this one left unsent.
  for (const form of document.querySelectorAll("form[data-logout]")) {
    form.addEventListener("submit", forgetUnsaved);
  }
  unitFilter();
  entryScreen();
  busyButtons();
});

// A form or button marked data-busy takes a second or more (an import, a preview, reading an
// uploaded report): while it works its button says so and cannot be pressed a second time.
function busyButtons() {
  const label = document.body.dataset.busyLabel || "…";
  const start = (button) => {
    if (!button || button.getAttribute("aria-busy") === "true") return;
    button.dataset.idleLabel = button.textContent;
    button.setAttribute("aria-busy", "true");
    button.disabled = true;
    button.textContent = label;
    // A form answered by a download leaves the page as it is: give the button back.
    setTimeout(() => stop(button), 20000);
  };
  const stop = (button) => {
    if (button.getAttribute("aria-busy") !== "true") return;
    button.removeAttribute("aria-busy");
    button.disabled = false;
    button.textContent = button.dataset.idleLabel;
  };
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.matches("form[data-busy]")) return;
    const button = event.submitter || form.querySelector("button[type=submit], button:not([type])");
    // Later, not now: the browser reads the form after this event (a disabled button would
    // not be sent), and another handler may hold the sending back (the entry screen waits
    // for the cells being saved, then sends again).
    setTimeout(() => {
      if (!event.defaultPrevented) start(button);
    }, 0);
  });
  document.addEventListener("htmx:beforeRequest", (event) => {
    if (event.detail.elt.matches("button[data-busy]")) start(event.detail.elt);
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.elt.matches("button[data-busy]")) stop(event.detail.elt);
  });
  // Back to a page the browser kept: its buttons are idle again.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) document.querySelectorAll("[aria-busy=true]").forEach(stop);
  });
}

const UNSAVED = "phongtrao:unsaved:";

function forgetUnsaved() {
  for (const key of Object.keys(localStorage)) {
    if (key.startsWith(UNSAVED)) localStorage.removeItem(key);
  }
}

// Narrows a long unit list as the user types, ignoring diacritics ("bo y" finds "Bờ Y").
// Pages work without it: the list is then simply long.
function unitFilter() {
  const fold = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
  document.querySelectorAll("input[data-filter-select]").forEach((input) => {
    const select = document.getElementById(input.dataset.filterSelect);
    if (!select) return;
    const options = Array.from(select.options);
    input.addEventListener("input", () => {
      const words = fold(input.value).split(/\s+/).filter(Boolean);
      select.replaceChildren(...options.filter((o) => !o.value || o.selected || words.every((w) => fold(o.text).includes(w))));
    });
  });
}

// Data entry: Enter saves the cell and moves on; a save that could not reach the server is
// kept in the browser and sent again when the connection returns, so nothing typed is lost.
function entryScreen() {
  const grid = document.querySelector(".entry-grid");
  if (!grid || !window.htmx) return;
  // Kept per user, so that whoever logs in next on this browser never sends another's cells.
  const KEY = `${UNSAVED}${grid.dataset.user}:`;

  grid.addEventListener("keydown", (event) => {
    const input = event.target;
    if (event.key !== "Enter" || !input.matches("[data-cell], .cell-comment")) return;
    event.preventDefault();
    htmx.trigger(input.form, "change");
    const cells = [...grid.querySelectorAll("[data-cell]")];
    const next = cells[cells.indexOf(input.form.querySelector("[data-cell]")) + 1];
    if (next) next.focus();
  });

  // A cell is kept under its own name (data-key), not under the address it posts to, which
  // may change with an upgrade while a value waits in the browser.
  const remember = (form) => {
    const data = Object.fromEntries(new FormData(form));
    localStorage.setItem(KEY + form.dataset.key, JSON.stringify(data));
  };
  grid.addEventListener("htmx:beforeRequest", (event) => {
    if (event.target.matches(".cell-form")) remember(event.target);
  });
  // The cell is swapped on success, so the key is dropped before the swap, while the form
  // is still in the page; a failed send leaves the form in place to say so. htmx fires
  // beforeSwap on the target (the cell), so the form is the request's own element.
  const requester = (event) => event.detail.requestConfig?.elt || event.detail.elt;
  grid.addEventListener("htmx:beforeSwap", (event) => {
    const form = requester(event);
    if (form.matches(".cell-form") && event.detail.xhr.status < 400) {
      localStorage.removeItem(KEY + form.dataset.key);
    }
  });
  const markUnsaved = (event) => {
    const form = requester(event);
    if (!form.matches(".cell-form")) return;
    const status = form.closest(".cell").querySelector(".cell-status");
    status.innerHTML = '<span class="unsaved"></span>';
    status.firstChild.textContent = grid.dataset.unsaved;
  };
  // A total a save drew (data-saved) counts that save; a totals answer asked for with the page
  // may arrive after it, counted before it, and would put back the older figure.
  grid.addEventListener("htmx:oobBeforeSwap", (event) => {
    if (event.detail.target.hasAttribute("data-saved")) event.detail.shouldSwap = false;
  });
  grid.addEventListener("htmx:sendError", markUnsaved);
  grid.addEventListener("htmx:responseError", markUnsaved);

  const resend = () => {
    for (const form of grid.querySelectorAll(".cell-form")) {
      const saved = localStorage.getItem(KEY + form.dataset.key);
      if (!saved) continue;
      const data = JSON.parse(saved);
      for (const [name, value] of Object.entries(data)) {
        if (form.elements[name]) form.elements[name].value = value;
      }
      htmx.trigger(form, "change");
    }
  };
  window.addEventListener("online", resend);
  resend();

  // A report sent while a cell is still being saved would be checked without that cell, so
  // sending waits (up to ten seconds) for the saves in flight, which htmx marks .htmx-request.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.matches(".cell-form") || form.dataset.waited) return;
    if (!grid.querySelector(".htmx-request")) return;
    event.preventDefault();
    const started = Date.now();
    const wait = setInterval(() => {
      if (grid.querySelector(".htmx-request") && Date.now() - started < 10000) return;
      clearInterval(wait);
      form.dataset.waited = "1";
      form.requestSubmit();
      delete form.dataset.waited;
    }, 100);
  });
}
