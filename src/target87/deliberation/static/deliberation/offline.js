// A contribution typed while the connection is down is not lost: it is kept on this phone (localStorage)
// and sent when the connection returns. Each form carries a client key, so sending twice stores it once.
(function () {
  "use strict";
  const QUEUE = "target87.contributions.pending";
  const DRAFT = "target87.contributions.draft";

  function read(key, fallback) {
    try { return JSON.parse(localStorage.getItem(key)) || fallback; } catch (e) { return fallback; }
  }
  function write(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* storage full or refused */ }
  }
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, (c) => {
      const r = (Math.random() * 16) | 0;
      return (c === "x" ? r : (r & 0x3) | 0x8).toString(16);
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.querySelector("form[data-offline-form]");
    if (!form) return;
    const status = document.querySelector("[data-offline-status]");
    const text = form.querySelector("textarea[name=text]");
    const action = form.getAttribute("action") || window.location.pathname;

    function say(message) {
      if (!status) return;
      const pending = read(QUEUE, []).length;
      status.textContent = message + (pending ? " " + form.dataset.pendingMessage + " " + pending : "");
      status.hidden = false;
    }

    // keep what is being typed, so a reload while offline does not lose it
    const draft = read(DRAFT, null);
    if (text && draft && draft.action === action && !text.value) text.value = draft.text;
    if (text) text.addEventListener("input", () => write(DRAFT, { action: action, text: text.value }));

    async function send(entry) {
      const body = new FormData();
      entry.fields.forEach(([name, value]) => body.append(name, value));
      const response = await fetch(entry.action, { method: "POST", body: body, credentials: "same-origin" });
      return response;
    }

    async function flush() {
      let queue = read(QUEUE, []);
      if (!queue.length || !navigator.onLine) return;
      let sent = 0;
      while (queue.length) {
        let response;
        try {
          response = await send(queue[0]);
        } catch (e) {
          break; // still no connection: keep it
        }
        // a refusal (4xx) will not get better by retrying: drop it; a server hiccup (5xx): keep it
        if (response.status >= 500) break;
        queue = queue.slice(1);
        write(QUEUE, queue);
        if (response.ok) sent += 1;
      }
      if (sent) say(form.dataset.sentMessage);
    }

    function keep() {
      const fields = [];
      new FormData(form).forEach((value, name) => fields.push([name, String(value)]));
      const queue = read(QUEUE, []);
      queue.push({ action: action, fields: fields });
      write(QUEUE, queue);
      localStorage.removeItem(DRAFT);
      form.reset();
      const key = form.querySelector("input[name=client_key]");
      if (key) key.value = newKey();
      say(form.dataset.savedMessage);
    }

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!navigator.onLine) { keep(); return; }
      const body = new FormData(form);
      let response;
      try {
        response = await fetch(action, { method: "POST", body: body, credentials: "same-origin" });
      } catch (e) {
        keep(); // the connection dropped on the way
        return;
      }
      localStorage.removeItem(DRAFT);
      if (response.redirected) { window.location.assign(response.url); return; }
      // the form has mistakes (nothing was stored): submit it the ordinary way to show the server's messages
      HTMLFormElement.prototype.submit.call(form);
    });

    window.addEventListener("online", flush);
    if (read(QUEUE, []).length) {
      say("");
      flush();
    }
  });
})();
