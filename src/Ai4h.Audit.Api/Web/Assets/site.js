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
document.querySelectorAll("dialog[data-open]").forEach((d) => d.showModal && d.showModal());
