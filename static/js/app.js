// pingxiang-cf: small behaviours, no inline scripts (a strict CSP comes later).
// Filter selects submit their form on change when marked data-autosubmit.
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el instanceof HTMLSelectElement && el.dataset.autosubmit !== undefined && el.form) {
    el.form.requestSubmit();
  }
});
