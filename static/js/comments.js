/* Comments on the article page: progressive enhancement, no dependencies.
 *
 * The page HTML is cached and the same for every reader. This script takes the
 * per-reader state (CSRF token, form timestamp, remembered name and e-mail) from
 * the page's one request (static/js/page.js) or the never-cached session
 * endpoint, reveals the inline forms, posts them with fetch (the reader stays
 * on the page), loads sorted or further comments as HTML fragments and marks
 * the paragraphs that carry an inline-feedback question.
 * Without JavaScript the links lead to plain form pages instead.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-comments]");
  if (!root || !window.fetch || !window.FormData) {
    return;
  }
  var state = null;
  var commentForm = root.querySelector('form[data-comments-form="comment"]');
  var formHome = commentForm ? commentForm.parentNode : null;
  var formNext = commentForm ? commentForm.nextSibling : null;

  /* The first state comes with the page's one request (static/js/page.js); later
     ones (a fresh form timestamp after posting) from the session endpoint. */
  function firstSession() {
    if (!root.querySelector("form[data-comments-form]")) { return Promise.resolve(null); }
    if (!window.newsroomPageData) { return loadSession(); }
    return window.newsroomPageData.then(function (data) {
      if (!data || !data.session) { return loadSession(); }
      state = data.session;
      fillForms();
      return state;
    });
  }

  function loadSession() {
    return fetch(root.getAttribute("data-session-url"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      cache: "no-store"
    })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        state = data;
        fillForms();
        return data;
      });
  }

  function fillForms() {
    root.querySelectorAll("form[data-comments-form]").forEach(function (form) {
      // The cached page carries no token; it travels as X-CSRFToken on submit.
      var ts = form.querySelector('input[name="ts"]');
      if (ts) { ts.value = state.ts; }
      // The idempotency key stays until the comment is accepted: a retry after an
      // error or a lost answer sends the same key, and the server stores one comment.
      var key = form.querySelector('input[name="key"]');
      if (key && !key.value) { key.value = state.submissionKey || ""; }
      var name = form.querySelector('input[name="name"]');
      var email = form.querySelector('input[name="email"]');
      if (form.getAttribute("data-comments-form") === "comment") {
        var guest = form.querySelector("[data-guest-fields]");
        if (state.authenticated && guest) {
          guest.hidden = true;
          guest.querySelectorAll("input").forEach(function (input) { input.disabled = true; });
        }
        if (name && !name.value) { name.value = state.name || ""; }
        if (email && !email.value) { email.value = state.email || ""; }
        var remember = form.querySelector('input[name="remember"]');
        if (remember && state.remembered) { remember.checked = true; }
      } else if (email && !email.value && state.email) {
        email.value = state.email;
      }
    });
  }

  function reveal() {
    root.querySelectorAll(".comments-js").forEach(function (el) { el.hidden = false; });
    root.querySelectorAll(".comments-nojs").forEach(function (el) { el.hidden = true; });
  }

  function status(form, text, ok) {
    var box = form.querySelector(".comments-status");
    if (box) {
      box.textContent = text;
      box.className = "comments-status " + (ok ? "message--success" : "message--error");
    }
  }

  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content;
  }

  function submit(form) {
    var button = form.querySelector('button[type="submit"]');
    if (button) { button.disabled = true; }
    return fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": state ? state.csrfToken : "" }
    })
      .then(function (response) {
        return response.json().then(function (data) { return { response: response, data: data }; });
      })
      .then(function (result) {
        var data = result.data;
        var message = data.message || "";
        if (data.errors) {
          Object.keys(data.errors).forEach(function (field) {
            data.errors[field].forEach(function (error) {
              // The server often names the first error in the message already.
              if (message.indexOf(error) === -1) { message += " " + error; }
            });
          });
        }
        status(form, message.trim(), data.ok);
        if (data.ok && form.getAttribute("data-comments-form") === "comment") {
          insertComment(form, data);
          updateCounts(data.counts);
          form.querySelector('textarea[name="text"]').value = "";
          form.querySelector('input[name="key"]').value = "";  // the next comment gets a new one
          resetReply();
        } else if (data.ok) {
          form.reset();
        }
      })
      .catch(function () {
        status(form, root.getAttribute("data-text-error") || "Fehler", false);
      })
      .then(function () {
        if (button) { button.disabled = false; }
        return loadSession();  // a fresh form timestamp for the next comment
      });
  }

  function insertComment(form, data) {
    // A repeated submission answers with the comment stored the first time: once on the page is enough.
    if (!data.html || document.getElementById(data.anchor)) { return; }
    var parent = form.querySelector('input[name="parent"]').value;
    var feedback = form.querySelector('input[name="feedback"]').value;
    var target = null;
    if (parent) { target = root.querySelector('[data-replies="' + parent + '"]'); }
    if (!target && feedback) { target = root.querySelector('[data-replies="feedback-' + feedback + '"]'); }
    if (!target) { target = root.querySelector("[data-threads]"); }
    if (!target) {
      var list = root.querySelector("[data-comment-list]");
      var empty = list.querySelector(".comments-empty");
      if (empty) { empty.remove(); }
      target = document.createElement("div");
      target.className = "comment-threads";
      target.setAttribute("data-threads", "");
      list.prepend(target);
    }
    if (parent || feedback || target.getAttribute("data-sort") === "aelteste") {
      target.append(fragment(data.html));  // replies and "oldest first": at the end
    } else {
      // Newest first, below the threads the editors pinned (as the server orders them).
      var pinned = target.querySelectorAll(":scope > .comment--pinned");
      if (pinned.length) { pinned[pinned.length - 1].after(fragment(data.html)); }
      else { target.prepend(fragment(data.html)); }
    }
    var added = document.getElementById(data.anchor);
    if (added) { added.scrollIntoView({ block: "center" }); }
  }

  /* The count headings ("7 Kommentare", "1 Inline-Feedback") as the server words them
     (singular, plural, language): the script never builds a plural itself. */
  function updateCounts(counts) {
    if (!counts) { return; }
    root.querySelectorAll("[data-count-label]").forEach(function (el) {
      var text = counts[el.getAttribute("data-count-label")];
      if (text) { el.textContent = text; }
    });
  }

  function placeForm(container, parentId, feedbackId, label) {
    if (!commentForm) { return; }
    commentForm.querySelector('input[name="parent"]').value = parentId || "";
    commentForm.querySelector('input[name="feedback"]').value = feedbackId || "";
    var info = commentForm.querySelector("[data-reply-info]");
    info.hidden = false;
    info.firstChild.textContent = label + " ";
    container.after(commentForm);
    commentForm.querySelector("textarea").focus();
  }

  function resetReply() {
    if (!commentForm) { return; }
    commentForm.querySelector('input[name="parent"]').value = "";
    commentForm.querySelector('input[name="feedback"]').value = "";
    commentForm.querySelector("[data-reply-info]").hidden = true;
    formHome.insertBefore(commentForm, formNext);
  }

  function load(url, mode) {
    var list = root.querySelector("[data-comment-list]");
    return fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        if (mode === "append") {
          var more = list.querySelector(".comments-more");
          if (more) { more.remove(); }
          var content = fragment(html);
          var threads = content.querySelector("[data-threads]");
          var existing = list.querySelector("[data-threads]");
          if (threads && existing) {
            existing.append.apply(existing, Array.prototype.slice.call(threads.childNodes));
            threads.remove();
          }
          list.append(content);
        } else {
          list.replaceChildren(fragment(html));
        }
      });
  }

  root.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-comments-form]");
    if (!form) { return; }
    event.preventDefault();
    (state ? Promise.resolve(state) : starting.then(null, function () { return null; })
      .then(function () { return state || loadSession(); }))
      .then(function () { submit(form); });
  });

  root.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-reply], a[data-feedback], a[data-sort], a[data-more], button[data-cancel-reply]");
    if (!link) { return; }
    event.preventDefault();
    if (link.hasAttribute("data-cancel-reply")) {
      resetReply();
    } else if (link.hasAttribute("data-reply")) {
      placeForm(link.closest(".comment-actions"), link.getAttribute("data-reply"), "", link.textContent);
    } else if (link.hasAttribute("data-feedback")) {
      placeForm(link.parentNode, "", link.getAttribute("data-feedback"), link.textContent);
    } else if (link.hasAttribute("data-sort")) {
      root.querySelectorAll("a[data-sort]").forEach(function (a) { a.removeAttribute("aria-current"); });
      link.setAttribute("aria-current", "true");
      load(root.getAttribute("data-fragment-url") + "?sortierung=" + link.getAttribute("data-sort"), "replace");
    } else if (link.hasAttribute("data-more")) {
      load(link.getAttribute("data-fragment"), link.getAttribute("data-more"));
    }
  });

  // Inline feedback: a button after each paragraph that carries a question.
  var body = document.querySelector("[data-article-body], .article__body, .article .body");
  if (body) {
    // The body's own paragraphs, in order; ad slots placed inside do not count.
    var paragraphs = Array.prototype.filter.call(body.querySelectorAll("p"), function (p) {
      return !p.closest(".ad-slot, aside");
    });
    // "Fehler melden" at a passage: a link after each paragraph that preselects it
    // (without the script, the form lets the reader choose the passage). Placed before
    // the feedback markers below, so a feedback question stays right after its passage.
    var errorLink = document.querySelector("[data-error-report]");
    if (errorLink) {
      paragraphs.forEach(function (paragraph, index) {
        var link = document.createElement("a");
        link.className = "error-marker";
        link.rel = "nofollow";
        link.href = errorLink.getAttribute("href") + "?absatz=" + index;
        link.textContent = errorLink.getAttribute("data-text-passage") || "Fehler melden";
        paragraph.after(link);
      });
    }
    root.querySelectorAll("[data-feedback-point]").forEach(function (point) {
      var paragraph = paragraphs[parseInt(point.getAttribute("data-paragraph"), 10)];
      if (!paragraph) { return; }
      var marker = document.createElement("a");
      marker.className = "feedback-marker";
      marker.href = "#" + point.id;
      marker.textContent = (root.getAttribute("data-text-feedback") || "Inline-Feedback") + ": " +
        point.getAttribute("data-question");
      paragraph.classList.add("has-feedback");
      paragraph.after(marker);
    });
  }

  reveal();
  var starting = firstSession();
})();
