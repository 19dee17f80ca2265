// Small behaviours without inline scripts (the Content-Security-Policy forbids them).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});

// Typed text is never lost without a question: following a link, sending another form or
// leaving the page asks first while a box of a form that saves (method="post") holds words
// typed since the page came. An htmx form changes only its own part of the page.
const TYPED_BOXES = "textarea, input:not([type]), input[type=text], input[type=email], "
  + "input[type=tel], input[type=number], input[type=url], input[type=date]";
// What each box held when the page came, as the browser read it (it empties a date it
// cannot read); a box added later by htmx is compared with the value it came with.
const cameWith = new WeakMap();
document.querySelectorAll(TYPED_BOXES).forEach((box) => cameWith.set(box, box.value));
let leaving = false;

// A form with a password box (logging in, choosing a password) keeps nothing worth a
// question.
function unsavedBox(sending) {
  return [...document.querySelectorAll(TYPED_BOXES)].find((box) =>
    box.form && box.form !== sending && box.form.method === "post"
    && !box.form.querySelector("input[type=password]")
    && box.value !== (cameWith.has(box) ? cameWith.get(box) : box.defaultValue));
}

function boxName(box) {
  // The label's own words, without "(optional)" or another note in an element of its own.
  const label = box.labels[0];
  const words = label && [...label.childNodes].filter((node) => node.nodeType === Node.TEXT_NODE)
    .map((node) => node.textContent).join("").trim();
  return words || (label ? label.textContent.trim() : "a box on this page");
}

// Whether to go on; once someone agrees to lose what they typed, the page does not ask
// again as it unloads, until they type again (a download or a mailto: link never unloads).
function mayLoseTypedText(sending) {
  const box = unsavedBox(sending);
  if (!box) return true;
  leaving = window.confirm(`What you typed in “${boxName(box)}” is not saved and will be `
    + "lost. Carry on?");
  return leaving;
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("a[href]");
  if (!link || event.defaultPrevented || link.target || link.hasAttribute("download")
    || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0
    || (link.hash && link.pathname === location.pathname && link.search === location.search)) {
    return;
  }
  if (!mayLoseTypedText(null)) event.preventDefault();
});

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (event.defaultPrevented || form.matches("[hx-post], [hx-get]")) return;
  if (!mayLoseTypedText(form)) {
    event.preventDefault();
  } else if (form.method === "post") {
    leaving = true; // the page it sends is the one that saves it
  }
});

document.addEventListener("input", () => {
  leaving = false;
});

window.addEventListener("beforeunload", (event) => {
  if (!leaving && unsavedBox(null)) {
    event.preventDefault();
    event.returnValue = "";
  }
});

window.addEventListener("pageshow", () => {
  leaving = false;
});
