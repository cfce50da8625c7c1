// Destructive or irreversible steps on the supervision pages ask first:
// <form data-confirm="…"> shows the message and submits only on OK.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
