// Casework's progressive enhancement. Every page works without this file.
import { initAll } from "/static/govuk/govuk-frontend.min.js";

initAll();

// Session timeout warning (the GOV.UK timeout-warning pattern): warn before the idle session
// ends, let the user stay signed in, and sign them out visibly when time runs out.
function initTimeoutWarning() {
  const body = document.body;
  const idleSeconds = Number(body.dataset.sessionIdleSeconds);
  const warningSeconds = Number(body.dataset.sessionWarningSeconds);
  const dialog = document.getElementById("timeout-warning");
  if (!idleSeconds || !dialog || typeof dialog.showModal !== "function") return;

  const countdown = dialog.querySelector(".casework-timeout-dialog__countdown");
  const csrf = dialog.querySelector("input[name=csrfmiddlewaretoken]").value;
  let warnTimer;
  let endTimer;
  let tick;

  function describe(seconds) {
    if (seconds >= 60) {
      const minutes = Math.ceil(seconds / 60);
      return minutes + (minutes === 1 ? " minute" : " minutes");
    }
    return seconds + (seconds === 1 ? " second" : " seconds");
  }

  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    clearInterval(tick);
    warnTimer = setTimeout(warn, Math.max(0, idleSeconds - warningSeconds) * 1000);
    endTimer = setTimeout(signOut, idleSeconds * 1000);
  }

  // A POST with the CSRF token, so only this countdown (never a link elsewhere) ends the session.
  function signOut() {
    const form = document.createElement("form");
    form.method = "post";
    form.action = body.dataset.timedOutUrl;
    for (const [name, value] of [["csrfmiddlewaretoken", csrf], ["reason", "timeout"]]) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      form.append(input);
    }
    document.body.append(form);
    form.submit();
  }

  function warn() {
    // Long write-ups save themselves before the session can end (see initAutosave).
    document.dispatchEvent(new CustomEvent("casework:session-ending"));
    let remaining = Math.min(warningSeconds, idleSeconds);
    countdown.textContent = describe(remaining);
    dialog.showModal();
    tick = setInterval(() => {
      remaining -= 1;
      if (remaining >= 0) countdown.textContent = describe(remaining);
    }, 1000);
  }

  dialog.querySelector("[data-timeout-stay]").addEventListener("click", async () => {
    const response = await fetch(body.dataset.keepAliveUrl, {
      method: "POST",
      headers: { "X-CSRFToken": csrf },
      credentials: "same-origin",
    });
    if (response.ok) {
      dialog.close();
      schedule();
    } else {
      signOut();
    }
  });
  // Escape closes a <dialog>; treat it as "stay signed in" only after the server agrees.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    dialog.querySelector("[data-timeout-stay]").click();
  });

  schedule();
}

initTimeoutWarning();

// Drafts save themselves: every minute while the text changes, and when the session is about to
// time out. A refused save (someone else saved first) leaves the text on the page and says why.
function initAutosave() {
  const form = document.querySelector("form[data-autosave-url]");
  if (!form) return;
  const status = document.getElementById("autosave-status");
  const version = form.querySelector("input[name=version]");
  let dirty = false;
  let saving = false;

  form.addEventListener("input", () => {
    dirty = true;
  });

  async function save() {
    if (!dirty || saving) return;
    saving = true;
    dirty = false;
    try {
      const response = await fetch(form.dataset.autosaveUrl, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
      });
      const answer = await response.json();
      if (answer.saved) {
        version.value = answer.version;
        status.textContent = "Draft saved automatically at " + answer.at;
      } else {
        dirty = true;
        status.textContent = (answer.message || "Your draft could not be saved automatically.") +
          " Press Save draft to keep your text" + (response.status === 409 ? " and see theirs beside it." : ".");
      }
    } catch {
      dirty = true;
      status.textContent = "Your draft could not be saved automatically: use Save draft.";
    } finally {
      saving = false;
    }
  }

  setInterval(save, 60_000);
  document.addEventListener("casework:session-ending", save);
}

initAutosave();
