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
  entryScreen();
});

// Data entry: Enter saves the cell and moves on; a save that could not reach the server is
// kept in the browser and sent again when the connection returns, so nothing typed is lost.
function entryScreen() {
  const grid = document.querySelector(".entry-grid");
  if (!grid || !window.htmx) return;
  const KEY = "phongtrao:unsaved:";

  grid.addEventListener("keydown", (event) => {
    const input = event.target;
    if (event.key !== "Enter" || !input.matches("[data-cell], .cell-comment")) return;
    event.preventDefault();
    htmx.trigger(input.form, "change");
    const cells = [...grid.querySelectorAll("[data-cell]")];
    const next = cells[cells.indexOf(input.form.querySelector("[data-cell]")) + 1];
    if (next) next.focus();
  });

  const remember = (form) => {
    const data = Object.fromEntries(new FormData(form));
    localStorage.setItem(KEY + form.getAttribute("hx-post"), JSON.stringify(data));
  };
  grid.addEventListener("htmx:beforeRequest", (event) => {
    if (event.target.matches(".cell-form")) remember(event.target);
  });
  // The cell is swapped on success, so the key is dropped before the swap, while the form
  // is still in the page; a failed send leaves the form in place to say so.
  grid.addEventListener("htmx:beforeSwap", (event) => {
    const form = event.detail.elt;
    if (form.matches(".cell-form") && event.detail.xhr.status < 400) {
      localStorage.removeItem(KEY + form.getAttribute("hx-post"));
    }
  });
  const markUnsaved = (event) => {
    const form = event.detail.elt;
    if (!form.matches(".cell-form")) return;
    const status = form.closest(".cell").querySelector(".cell-status");
    status.innerHTML = '<span class="unsaved"></span>';
    status.firstChild.textContent = grid.dataset.unsaved;
  };
  grid.addEventListener("htmx:sendError", markUnsaved);
  grid.addEventListener("htmx:responseError", markUnsaved);

  const resend = () => {
    for (const form of grid.querySelectorAll(".cell-form")) {
      const saved = localStorage.getItem(KEY + form.getAttribute("hx-post"));
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
}
