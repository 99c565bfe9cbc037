// "Another picture" for the captcha: django-simple-captcha's refresh view gives a new key, picture
// and sound; without JavaScript the button stays hidden and a failed try draws a new picture anyway.
document.querySelectorAll("[data-captcha]").forEach((box) => {
  const button = box.querySelector("[data-captcha-refresh]");
  const field = box.parentElement;
  button.hidden = false;
  button.addEventListener("click", async () => {
    const response = await fetch(box.dataset.refreshUrl, { headers: { "X-Requested-With": "XMLHttpRequest" } });
    if (!response.ok) return;
    const fresh = await response.json();
    box.querySelector("[data-captcha-image]").src = fresh.image_url;
    const audio = box.querySelector("[data-captcha-audio]");
    if (audio && fresh.audio_url) audio.href = fresh.audio_url;
    field.querySelector("input[type=hidden][name$='_0']").value = fresh.key;
    const answer = field.querySelector("input[type=text][name$='_1']");
    answer.value = "";
    answer.focus();
  });
});
