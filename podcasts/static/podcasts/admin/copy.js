// "Copy" buttons: <button data-copy="ID" hidden> copies the text of the element ID.
// Hidden until this script runs, so pages without it simply offer the selectable text.
document.querySelectorAll("button[data-copy]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    var source = document.getElementById(button.dataset.copy);
    navigator.clipboard.writeText(source.value !== undefined ? source.value : source.textContent).then(function () {
      button.textContent = "Copied";
    });
  });
});
