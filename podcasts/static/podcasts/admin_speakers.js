// Speakers pages: clicking a speaker's row puts its name in the rename form.
document.addEventListener("click", function (event) {
  var row = event.target.closest("tr[data-speaker]");
  var field = document.getElementById("id_old");
  if (!row || !field || event.target.closest("a, button, input")) return;
  field.value = row.dataset.speaker;
  var next = document.getElementById("id_new");
  if (next) next.focus();
});
