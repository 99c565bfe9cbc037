// Similar published posts while the title is typed, so the answer may already be there.
(function () {
  const input = document.getElementById("id_title");
  const box = document.getElementById("similar");
  if (!input || !box) return;
  const list = box.querySelector("ul");
  const SHOWN = 3;  // a phone shows these and the text field below them
  let timer = null;
  let last = "";

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(lookup, 300);
  });

  async function lookup() {
    const text = input.value.trim();
    if (text === last) return;
    last = text;
    if (text.length < 2) {
      box.hidden = true;
      return;
    }
    try {
      const response = await fetch(box.dataset.url + "?limit=" + SHOWN + "&q=" + encodeURIComponent(text));
      if (!response.ok) return;
      const data = await response.json();
      if (text === last) show(data.results);  // else a newer lookup is on its way
    } catch (error) {
      // Suggestions are a help, never a hurdle: posting works without them.
    }
  }

  function show(results) {
    list.replaceChildren();
    for (const post of results) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = post.url;
      link.textContent = post.title;
      link.target = "_blank";
      link.rel = "noopener";
      const status = document.createElement("span");
      status.className = "badge status-" + post.status;
      status.textContent = post.status_label;
      // Two lines a post, so three fit above the text field on a phone: the post and its state, then
      // the start of its answer and the button.
      const line = document.createElement("div");
      line.className = "line";
      line.append(link, status);
      if (post.alike) {
        const alike = document.createElement("span");  // near-identical posts, shown as this one
        alike.className = "badge alike";
        alike.textContent = box.dataset.alikeLabel.replace("{count}", post.alike + 1);
        line.append(alike);
      }
      const answer = document.createElement("div");
      answer.className = "line";
      const excerpt = document.createElement("span");
      excerpt.className = "excerpt";
      excerpt.textContent = post.answer || post.excerpt;
      answer.append(excerpt);
      if (post.answered) answer.append(answeredButton(post));
      item.append(line, answer);
      list.append(item);
    }
    box.hidden = results.length === 0;
  }

  // "My question is answered": nothing is posted; the post is counted as having spared a question,
  // and its page opens. A form of its own, sent from outside the post form: of the draft only the
  // title goes with it, the visitor's wording for what the post is about (editors learn synonyms from it).
  function answeredButton(post) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "answered";
    button.textContent = box.dataset.answeredLabel;
    button.addEventListener("click", function () {
      const form = document.createElement("form");
      form.method = "post";
      form.action = box.dataset.answeredUrl.replace(/0\/$/, post.id + "/");
      form.hidden = true;
      form.append(input.form.querySelector("[name=csrfmiddlewaretoken]").cloneNode());
      const wording = document.createElement("input");
      wording.type = "hidden";
      wording.name = "wording";
      wording.value = input.value.trim();
      form.append(wording);
      document.body.append(form);
      form.submit();
    });
    return button;
  }
})();
