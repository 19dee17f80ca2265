// Common ground: after a vote, move focus to the new statement so keyboard and screen-reader
// users carry on from there (no inline scripts: the Content-Security-Policy forbids them).
document.addEventListener("htmx:afterSwap", (event) => {
  if (event.detail.target && event.detail.target.id === "statement-card") {
    const next = document.getElementById("statement-text");
    if (next) {
      next.focus();
    }
  }
});

// A link to a statement (#s-12) opens the folded list of every statement first.
function openStatementFromHash() {
  const target = window.location.hash && document.getElementById(window.location.hash.slice(1));
  const folded = target && target.closest("details");
  if (folded && !folded.open) {
    folded.open = true;
    target.scrollIntoView();
  }
}
window.addEventListener("hashchange", openStatementFromHash);
document.addEventListener("DOMContentLoaded", openStatementFromHash);
