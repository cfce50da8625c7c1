// Forms marked data-confirm ask before they submit (deleting an indicator,
// publishing the year's results).
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
