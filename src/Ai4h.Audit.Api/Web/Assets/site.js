// Progressive enhancement only: every form works without JavaScript.
// Signing dialogs: a button with data-dialog opens the native <dialog> it names.
document.addEventListener("click", (e) => {
  const opener = e.target.closest("[data-dialog]");
  if (opener) {
    const dialog = document.getElementById(opener.dataset.dialog);
    if (dialog && typeof dialog.showModal === "function") {
      e.preventDefault();
      dialog.showModal();
      dialog.querySelector("input[type=password]")?.focus();
    }
  }
  const closer = e.target.closest("[data-close]");
  if (closer) {
    e.preventDefault();
    closer.closest("dialog")?.close();
  }
});
// A dialog that came back with an error opens again so the signer sees it where they were.
document.querySelectorAll("dialog[open]").forEach((d) => {
  if (!d.showModal) return;
  d.close();
  d.showModal();
});
// The dialog says the meaning being signed as the signer picks it.
document.querySelectorAll("select[data-meaning]").forEach((select) => {
  const text = select.closest("form")?.querySelector("[data-meaning-text]");
  select.addEventListener("change", () => { if (text) text.textContent = select.value; });
});
