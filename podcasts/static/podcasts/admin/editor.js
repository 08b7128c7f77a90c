/* The transcript editor in place: each row saves on its own through htmx (the response is
   the rows it touched), one request at a time; row actions from one shared menu or the
   keyboard; a warning before leaving with unsaved input. Without this script the page
   is a plain form. */
(function () {
  "use strict";

  const SHORTCUTS = {
    KeyH: "to-header", KeyL: "to-line", KeyI: "insert-header", KeyS: "split", KeyM: "merge",
    KeyW: "swap", ArrowUp: "up", ArrowDown: "down", Delete: "delete", Backspace: "delete",
  };
  const menu = document.getElementById("row-menu");
  let menuRow = null;
  let queue = Promise.resolve();
  let pending = 0;
  let submitting = false;

  const form = () => document.getElementById("transcript-form");
  const rowOf = (element) => (element && element.closest ? element.closest("#rows > tr") : null);
  /* A row's text is named t<item id>:<state loaded>; its speaker s<id>, its time m<id>. */
  const pkOf = (row) => row.querySelector("textarea").name.slice(1).split(":")[0];
  const rowByPk = (pk) => {
    const text = document.querySelector(`#rows textarea[name^="t${pk}:"]`);
    return text ? text.closest("tr") : null;
  };
  const fields = (row) => row.querySelectorAll("input, textarea");
  /* A field's key outlives its row's state: t<id>, s<id>, m<id>. */
  const keyOf = (name) => name.split(":")[0];
  const fieldByKey = (key) => document.querySelector(key[0] === "t" ? `#rows textarea[name^="${key}:"]` : `#rows [name="${key}"]`);
  const isDirty = (row) => Array.from(fields(row)).some((field) => field.value !== field.defaultValue);
  const unsaved = () =>
    pending > 0 || Array.from(document.querySelectorAll("#rows > tr")).some((row) => isDirty(row) || row.querySelector(".conflict"));

  function say(text) {
    const state = document.querySelector(".save-state");
    if (state) state.textContent = text;
  }

  function values(row, extra) {
    const data = {};
    row.querySelectorAll("input, textarea").forEach((field) => { data[field.name] = field.value; });
    return Object.assign(data, extra);
  }

  /* Save row ``pk`` (with a row action in ``extra``); requests go one after another. */
  function send(pk, extra) {
    pending += 1;
    say("Saving…");
    queue = queue.then(() => request(pk, extra)).catch(() => say("Not saved: the server did not answer. Your input is still here.")).finally(() => {
      pending -= 1;
    });
    return queue;
  }

  function request(pk, extra) {
    const row = rowByPk(pk);
    if (!row) return Promise.resolve();
    const sent = values(row, extra);
    Object.keys(sent).forEach((name) => delete typed[keyOf(name)]);
    const before = row.previousElementSibling;
    const focus = document.activeElement;
    const focused = rowOf(focus) === row ? { key: keyOf(focus.name), start: focus.selectionStart, end: focus.selectionEnd } : null;
    row.classList.add("saving");
    return htmx
      .ajax("POST", form().dataset.url, {
        target: row, swap: "outerHTML", values: sent,
        headers: { "X-CSRFToken": form().querySelector("[name=csrfmiddlewaretoken]").value },
      })
      .then(() => {
        const first = before ? before.nextElementSibling : document.querySelector("#rows > tr");
        keepTyping(sent);
        renumber();
        place(first, extra && extra.op ? extra.op.split(":")[0] : null, focused);
        const refused = document.querySelector("#rows .errornote, #rows .conflict");
        say(refused ? "Not saved: see the marked item." : "Saved.");
      });
  }

  /* What the editor typed while the request was on its way stays in the new row. */
  const typed = {};
  function keepTyping(sent) {
    Object.keys(sent).map(keyOf).forEach((key) => {
      const field = key in typed ? fieldByKey(key) : null;
      if (field) field.value = typed[key];
    });
  }
  document.addEventListener("input", (event) => {
    const row = rowOf(event.target);
    if (!row) return;
    typed[keyOf(event.target.name)] = event.target.value;
    row.classList.add("dirty");
  });

  /* Focus where the editor will go on: the new header's text, the second half of a split,
     the item after a deleted one, else the field they were in. */
  function place(first, op, focused) {
    const lost = !document.activeElement || document.activeElement === document.body;
    if (!op && !(focused && lost)) return; // the editor's focus is elsewhere: leave it there
    let row = first;
    let select = false;
    if (op === "insert-header") select = true;
    if (op === "split" && first) row = first.nextElementSibling;
    let field = null;
    if (focused && !["insert-header", "split"].includes(op)) field = fieldByKey(focused.key);
    if (!field && row) field = row.querySelector("textarea");
    if (!field) return;
    field.focus();
    if (select) field.select();
    else if (op === "split") field.setSelectionRange(0, 0);
    else if (focused && keyOf(field.name) === focused.key && focused.start !== null) field.setSelectionRange(focused.start, focused.end);
  }

  /* Item numbers follow the rows after an insert, delete or move (unless a search hides some). */
  function renumber() {
    if (new URLSearchParams(window.location.search).toString().match(/(^|&)(q|speaker|problems)=/)) return;
    const rows = document.querySelectorAll("#rows > tr:not(.gone)");
    if (!rows.length) return;
    const start = parseInt(rows[0].id.slice(5), 10);
    rows.forEach((row, index) => {
      row.id = `item-${start + index}`;
      row.cells[0].textContent = start + index;
    });
  }

  document.body.addEventListener("htmx:beforeSwap", (event) => {
    const replaced = event.detail.xhr.getResponseHeader("X-Replaced");
    const neighbor = replaced ? rowByPk(replaced) : null;
    if (neighbor && neighbor !== event.detail.target) neighbor.remove();
  });

  /* A row saves when the editor leaves a field they changed, or presses Enter in a one-line field. */
  document.addEventListener("focusout", (event) => {
    const row = rowOf(event.target);
    if (row && event.target.value !== event.target.defaultValue) send(pkOf(row));
  });

  function act(row, op) {
    hideMenu();
    const pk = pkOf(row);
    const extra = { op: `${op}:${pk}` };
    const neighbor = op === "down" ? row.nextElementSibling : op === "up" || op === "merge" ? row.previousElementSibling : null;
    if (neighbor && neighbor.querySelector("textarea")) extra.neighbor = pkOf(neighbor);
    const text = row.querySelector("textarea");
    if (op === "split") {
      const cursor = document.activeElement === text ? text.selectionStart : text.value.length;
      extra.at = Array.from(text.value.slice(0, cursor)).length; // the server counts characters, not UTF-16 units
    }
    if (op === "delete" && !window.confirm("Delete this item?")) return;
    send(pk, extra);
  }

  function jumpToProblem(from, step) {
    const problems = Array.from(document.querySelectorAll("#rows > tr[data-problem]"));
    if (!problems.length) return;
    const rows = Array.from(document.querySelectorAll("#rows > tr"));
    const here = from ? rows.indexOf(from) : -1;
    const next = step > 0 ? problems.find((row) => rows.indexOf(row) > here) || problems[0]
      : problems.reverse().find((row) => rows.indexOf(row) < here) || problems[0];
    next.scrollIntoView({ block: "center" });
    next.querySelector("input, textarea").focus();
  }

  document.addEventListener("keydown", (event) => {
    const row = rowOf(event.target);
    if (event.key === "Escape" && !menu.hidden) {
      const back = menuRow;
      hideMenu();
      if (back) back.querySelector("textarea").focus();
      return;
    }
    const oneLine = event.target.tagName === "INPUT" || (row && row.classList.contains("h") && !event.shiftKey);
    if (event.key === "Enter" && oneLine && (row || event.target.form === form())) {
      event.preventDefault(); // Enter never presses a button of the form, nor breaks a header's line
      if (row && isDirty(row)) send(pkOf(row));
      return;
    }
    if (!(event.altKey && event.shiftKey)) return;
    if (event.code === "KeyN" || event.code === "KeyP") {
      event.preventDefault();
      jumpToProblem(row, event.code === "KeyN" ? 1 : -1);
    } else if (row && event.code === "KeyK") {
      event.preventDefault();
      showMenu(row);
    } else if (row && SHORTCUTS[event.code]) {
      event.preventDefault();
      act(row, SHORTCUTS[event.code]);
    }
  });

  function showMenu(row) {
    menuRow = row;
    const header = row.classList.contains("h");
    menu.querySelectorAll("button").forEach((button) => {
      const op = button.dataset.op;
      button.hidden = (header && ["to-header", "swap"].includes(op)) || (!header && op === "to-line");
    });
    const box = row.cells[0].getBoundingClientRect();
    menu.style.left = `${window.scrollX + box.left}px`;
    menu.style.top = `${window.scrollY + box.bottom}px`;
    menu.hidden = false;
    menu.querySelector("button:not([hidden])").focus();
  }

  function hideMenu() {
    menu.hidden = true;
  }

  menu.addEventListener("keydown", (event) => {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    event.preventDefault();
    const buttons = Array.from(menu.querySelectorAll("button:not([hidden])"));
    const index = buttons.indexOf(document.activeElement) + (event.key === "ArrowDown" ? 1 : -1);
    buttons[(index + buttons.length) % buttons.length].focus();
  });
  menu.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (button && menuRow) act(menuRow, button.dataset.op);
  });

  document.addEventListener("click", (event) => {
    const row = rowOf(event.target);
    if (row && event.target.closest("td") === row.cells[0]) {
      showMenu(row);
      return;
    }
    if (!menu.contains(event.target)) hideMenu();
    const yours = event.target.closest(".keep-yours");
    if (yours) {
      event.preventDefault(); // the row alone is saved again, against the state saved meanwhile
      send(pkOf(rowOf(yours)));
    }
    const theirs = event.target.closest(".take-theirs");
    if (theirs) {
      const field = document.querySelector(`#rows [name="${theirs.closest(".conflict").dataset.for}"]`);
      field.value = theirs.value;
      send(pkOf(rowOf(field)));
    }
  });

  document.addEventListener("focusin", (event) => {
    if (rowOf(event.target) && event.target.name && event.target.name[0] === "s") event.target.setAttribute("list", "speakers");
  });

  document.addEventListener("submit", (event) => {
    if (event.target === form()) submitting = true;
  });
  window.addEventListener("beforeunload", (event) => {
    if (submitting || !unsaved()) return;
    event.preventDefault();
    event.returnValue = "";
  });
})();
