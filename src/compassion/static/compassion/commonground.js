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
