// 常用答复: choosing a canned reply puts its text into the reply box of the same form, to edit.
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-canned-replies]");
  const chosen = select && select.selectedOptions[0];
  const box = select && select.form.querySelector("textarea[name$='-body']");
  if (chosen && chosen.dataset.body && box) {
    box.value = chosen.dataset.body;
    box.focus();
  }
});
