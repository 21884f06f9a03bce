// The canned-answer picker of the answer by e-mail (templates/messaging/answers/).
// The list of matching answers comes from the server as the agent types (htmx); this
// file only moves the focus with the arrow keys and puts the chosen answer in the form.
// Loaded again each time htmx swaps the request panel in: it sets itself up once.
(function () {
  "use strict";
  if (window.rcAnswerPicker) {
    return;
  }
  window.rcAnswerPicker = true;

  function options() {
    return Array.from(document.querySelectorAll("[data-answer-option]"));
  }

  function insert(option) {
    var section = option.closest("#reponse-mail");
    if (!section) {
      return;
    }
    var body = section.querySelector("textarea[name='mail-body']");
    var subject = section.querySelector("input[name='mail-subject']");
    if (!body) {
      return;
    }
    body.value = option.dataset.answerBody;
    if (subject && option.dataset.answerSubject) {
      subject.value = option.dataset.answerSubject;
    }
    var announce = section.querySelector("[data-answer-announce]");
    if (announce) {
      // the sentence comes translated from the page, with %s for the answer's title
      announce.textContent = announce.dataset.answerAnnounce.replace("%s", option.dataset.answerTitle);
    }
    body.focus();
    body.setSelectionRange(0, 0);
    body.scrollTop = 0;
  }

  document.addEventListener("click", function (event) {
    var option = event.target.closest("[data-answer-option]");
    if (option) {
      event.preventDefault();
      insert(option);
    }
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (target.matches("[data-answer-search]")) {
      if (event.key === "ArrowDown" && options().length) {
        event.preventDefault();
        options()[0].focus();
      }
      return;
    }
    if (!target.matches("[data-answer-option]")) {
      return;
    }
    var list = options();
    var index = list.indexOf(target);
    if (event.key === "ArrowDown" && index < list.length - 1) {
      event.preventDefault();
      list[index + 1].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (index > 0) {
        list[index - 1].focus();
      } else {
        document.querySelector("[data-answer-search]").focus();
      }
    } else if (event.key === "Home") {
      event.preventDefault();
      list[0].focus();
    } else if (event.key === "End") {
      event.preventDefault();
      list[list.length - 1].focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      document.querySelector("[data-answer-search]").focus();
    }
  });
})();
