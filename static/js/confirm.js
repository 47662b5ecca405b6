// Destructive actions ask first: a form (or its button) with data-confirm="…" submits only
// after the person agrees. The server never relies on this prompt.
document.addEventListener(
  "submit",
  (event) => {
    const form = event.target;
    const question = (event.submitter && event.submitter.dataset.confirm) || form.dataset.confirm;
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  },
  true
);
