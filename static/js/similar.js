// Similar published posts while the title is typed, so the answer may already be there.
(function () {
  const input = document.getElementById("id_title");
  const box = document.getElementById("similar");
  if (!input || !box) return;
  const list = box.querySelector("ul");
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
      const response = await fetch(box.dataset.url + "?limit=5&q=" + encodeURIComponent(text));
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
      item.append(link, " ", status);
      if (post.excerpt) {
        const excerpt = document.createElement("p");  // the gist, readable without leaving the form
        excerpt.className = "excerpt";
        excerpt.textContent = post.excerpt;
        item.append(excerpt);
      }
      if (post.answered) item.append(answeredButton(post));
      list.append(item);
    }
    box.hidden = results.length === 0;
  }

  // "My question is answered": nothing is posted; the post is counted as having spared a question,
  // and its page opens. A form of its own, sent from outside the post form, so no draft goes with it.
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
      document.body.append(form);
      form.submit();
    });
    return button;
  }
})();
