// Casework's progressive enhancement. Every page works without this file.
import { initAll } from "/static/govuk/govuk-frontend.min.js";

initAll();

const body = document.body;
const userId = body.dataset.user || "";
const DRAFT_PREFIX = "casework-draft:";
const SUBMITTED_PREFIX = "casework-submitted:";
// Shared by every tab: the last time the person did anything, and that they signed out.
const ACTIVITY_KEY = "casework-last-activity";
const SIGNED_OUT_KEY = "casework-signed-out";

function storage() {
  try {
    return window.localStorage;
  } catch {
    return null; // private modes and locked-down browsers: the server still keeps a posted form
  }
}

function forgetDrafts() {
  const store = storage();
  if (!store) return;
  for (const key of Object.keys(store)) {
    if (key.startsWith(DRAFT_PREFIX) || key.startsWith(SUBMITTED_PREFIX)) store.removeItem(key);
  }
}

// Signing out on purpose leaves nothing of anyone's writing on this device.
if (document.querySelector("[data-forget-drafts]")) forgetDrafts();
for (const form of document.querySelectorAll("form[action$='/sign-out/']")) {
  form.addEventListener("submit", () => {
    forgetDrafts();
    storage()?.setItem(SIGNED_OUT_KEY, String(Date.now()));
  });
}

function lastActivity() {
  return Number(storage()?.getItem(ACTIVITY_KEY)) || 0;
}

// --- A copy of what is typed, on this device, until it is saved ------------------------------
// Every form with a text box keeps a copy of its fields in the browser as the person types, keyed
// by who they are and which page it is, so nothing is lost to a phone that sleeps, a session that
// ends or a lost signal. The copy is put back if the page comes back without it, and is removed
// once the form has been saved, or when the person signs out on purpose.
function fieldsOf(form) {
  return [...form.elements].filter((field) => field.name && !field.disabled && (
    field.tagName === "TEXTAREA" || field.tagName === "SELECT" ||
    (field.tagName === "INPUT" && !["hidden", "submit", "button", "file", "password"].includes(field.type))));
}

function valuesOf(form) {
  const values = {};
  for (const field of fieldsOf(form)) {
    if (field.type === "radio" || field.type === "checkbox") {
      if (field.checked) (values[field.name] ||= []).push(field.value);
      else values[field.name] ||= [];
    } else {
      values[field.name] = [field.value];
    }
  }
  return values;
}

function restoreInto(form, values) {
  for (const field of fieldsOf(form)) {
    if (!(field.name in values)) continue;
    if (field.type === "radio" || field.type === "checkbox") field.checked = values[field.name].includes(field.value);
    else field.value = values[field.name][0] ?? "";
  }
}

function sameValues(one, other) {
  return JSON.stringify(one) === JSON.stringify(other);
}

function initDeviceCopies() {
  const store = storage();
  if (!store || !userId) return;
  const forms = [...document.querySelectorAll("form[method=post]")].filter(
    (form) => !form.hasAttribute("data-no-device-copy") && form.querySelector("textarea"));
  const keys = new Set();
  forms.forEach((form, index) => {
    const key = `${DRAFT_PREFIX}${userId}:${location.pathname}:${index}`;
    keys.add(key);
    form.dataset.deviceCopy = key;
    const version = form.querySelector("input[name=version]");
    const stored = JSON.parse(store.getItem(key) || "null");
    if (stored && !sameValues(stored.values, valuesOf(form))) {
      restoreInto(form, stored.values);
      // The text was written on the version it was read from: saving it checks that version,
      // so a change someone else saved since is shown beside it, never overwritten.
      if (version && stored.version) version.value = stored.version;
      const notice = document.createElement("div");
      notice.className = "govuk-inset-text";
      notice.id = "device-copy-restored";
      notice.textContent = `Your unsaved text was restored from this device (written at ${stored.at}). ` +
        "Save it to keep it.";
      form.prepend(notice);
      form.dispatchEvent(new Event("input", { bubbles: true }));
    }
    form.addEventListener("input", () => {
      store.setItem(key, JSON.stringify({
        values: valuesOf(form), version: version?.value || "",
        at: new Date().toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" }),
      }));
    });
    form.addEventListener("submit", () => store.setItem(SUBMITTED_PREFIX + key, "1"));
    form.addEventListener("casework:saved", () => {
      // The server now holds what the form shows; a later edit makes a new copy.
      if (version) {
        const stored = JSON.parse(store.getItem(key) || "null");
        if (stored && sameValues(stored.values, valuesOf(form))) store.removeItem(key);
      }
    });
  });
  // A form sent from a page that has now been left was saved (a refused one comes back to the
  // same page, still holding its text): its copy is no longer needed.
  for (const marker of Object.keys(store).filter((key) => key.startsWith(SUBMITTED_PREFIX))) {
    const key = marker.slice(SUBMITTED_PREFIX.length);
    if (!keys.has(key)) store.removeItem(key);
    store.removeItem(marker);
  }
}

initDeviceCopies();

function unsavedCopyKept() {
  const store = storage();
  return Boolean(store && [...document.querySelectorAll("form[data-device-copy]")]
    .some((form) => store.getItem(form.dataset.deviceCopy)));
}

// --- Session timeout warning ------------------------------------------------------------------
// The GOV.UK timeout-warning pattern: warn before the idle session ends, let the person stay
// signed in, and sign them out visibly when time runs out. Typing and every save count as doing
// something, in any tab. A timer that fires late (a phone that slept, a closed laptop lid) is
// judged by the clock, not by the timer, and what was being written is kept either way.
function initTimeoutWarning() {
  const idleSeconds = Number(body.dataset.sessionIdleSeconds);
  const warningSeconds = Number(body.dataset.sessionWarningSeconds);
  const dialog = document.getElementById("timeout-warning");
  if (!idleSeconds || !dialog || typeof dialog.showModal !== "function") return;

  const store = storage();
  const countdown = dialog.querySelector(".casework-timeout-dialog__countdown");
  const heading = dialog.querySelector("#timeout-warning-heading");
  const stay = dialog.querySelector("[data-timeout-stay]");
  const csrf = dialog.querySelector("input[name=csrfmiddlewaretoken]").value;
  let timer;
  let tick;
  let lastActive = Date.now();
  let lastKeptAlive = Date.now();
  let typingIn = null;
  let savedAt = "";
  // Often enough that the server's session outlives any run of typing, however short its limit.
  const keepAliveEvery = Math.min(60_000, idleSeconds * 250);

  function describe(seconds) {
    if (seconds >= 60) {
      const minutes = Math.ceil(seconds / 60);
      return minutes + (minutes === 1 ? " minute" : " minutes");
    }
    return seconds + (seconds === 1 ? " second" : " seconds");
  }

  function latest() {
    return Math.max(lastActive, lastActivity());
  }

  function check() {
    clearTimeout(timer);
    const idleFor = (Date.now() - latest()) / 1000;
    if (idleFor >= idleSeconds) {
      signOut();
    } else if (idleFor >= idleSeconds - warningSeconds) {
      if (!dialog.open) warn();
      timer = setTimeout(check, 1000);
    } else {
      if (dialog.open) closeWarning();
      timer = setTimeout(check, (idleSeconds - warningSeconds - idleFor) * 1000);
    }
  }

  async function keepAlive() {
    lastKeptAlive = Date.now();
    const response = await fetch(body.dataset.keepAliveUrl, {
      method: "POST", headers: { "X-CSRFToken": csrf }, credentials: "same-origin",
    });
    return response.ok;
  }

  // Doing something: typing, saving, or staying signed in. The server hears at most once a
  // minute (a quarter of the limit where that is shorter), which keeps its session alive.
  function active() {
    lastActive = Date.now();
    store?.setItem(ACTIVITY_KEY, String(lastActive));
    if (Date.now() - lastKeptAlive > keepAliveEvery) keepAlive().catch(() => {});
    check();
  }

  // A POST with the CSRF token, so only this countdown (never a link elsewhere) ends the session.
  // It says where the person was and what became of their text, so signing in again takes them
  // back to it and the signed-out page can say whether it was saved.
  function signOut() {
    clearTimeout(timer);
    const fields = [["csrfmiddlewaretoken", csrf], ["reason", "timeout"],
      ["next", location.pathname + location.search]];
    if (unsavedCopyKept()) fields.push(["kept", "1"]);
    else if (savedAt) fields.push(["saved_at", savedAt]);
    const form = document.createElement("form");
    form.method = "post";
    form.action = body.dataset.timedOutUrl;
    for (const [name, value] of fields) {
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
    typingIn = document.activeElement?.matches?.("textarea, input") ? document.activeElement : null;
    const update = () => {
      const remaining = Math.max(0, Math.ceil(idleSeconds - (Date.now() - latest()) / 1000));
      countdown.textContent = describe(remaining);
    };
    update();
    dialog.showModal();
    // The dialog takes the focus on its heading, not its button: a key pressed as it opens is
    // never taken as "Stay signed in".
    heading.focus();
    tick = setInterval(update, 1000);
  }

  function closeWarning() {
    clearInterval(tick);
    dialog.close();
    typingIn?.focus();
  }

  stay.addEventListener("click", async () => {
    if (await keepAlive().catch(() => false)) {
      active();
      closeWarning();
    } else {
      signOut();
    }
  });

  // Keys pressed while the warning is up go on into the text the person was writing (none is
  // lost), and none but a deliberate press of "Stay signed in" closes it: Escape moves to it.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    stay.focus();
  });
  dialog.addEventListener("keydown", (event) => {
    if (event.target.closest("button") || event.ctrlKey || event.metaKey || event.altKey) return;
    if (!typingIn || (event.key.length !== 1 && event.key !== "Enter" && event.key !== "Backspace")) return;
    event.preventDefault();
    const start = typingIn.selectionStart ?? typingIn.value.length;
    const end = typingIn.selectionEnd ?? start;
    if (event.key === "Backspace") {
      typingIn.setRangeText("", start === end ? Math.max(0, start - 1) : start, end, "end");
    } else if (event.key !== "Enter" || typingIn.tagName === "TEXTAREA") {
      typingIn.setRangeText(event.key === "Enter" ? "\n" : event.key, start, end, "end");
    }
    typingIn.form?.dispatchEvent(new Event("input", { bubbles: true }));
  });

  // Keys forwarded while the warning is up are kept, but only "Stay signed in" answers it.
  document.addEventListener("input", () => {
    if (!dialog.open) active();
  });
  document.addEventListener("casework:saved", (event) => {
    savedAt = event.detail?.at || savedAt;
    active();
  });
  // Another tab: activity there keeps this one signed in too; signing out there signs out here.
  window.addEventListener("storage", (event) => {
    if (event.key === ACTIVITY_KEY) check();
    if (event.key === SIGNED_OUT_KEY) location.assign(body.dataset.timedOutUrl);
  });
  // Back from sleep or a closed lid: judge by the clock at once rather than wait for a timer.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") check();
  });
  window.addEventListener("pageshow", check);

  store?.setItem(ACTIVITY_KEY, String(Math.max(lastActive, lastActivity())));
  check();
}

initTimeoutWarning();

// --- Drafts save themselves -------------------------------------------------------------------
// Every minute while the text changes, and when the session is about to time out. A refused save
// (someone else saved first) leaves the text on the page and says why; a save refused because
// the session has ended keeps the text on the device and asks the person to sign in again.
function initAutosave() {
  const form = document.querySelector("form[data-autosave-url]");
  if (!form) return;
  const status = document.getElementById("autosave-status");
  const version = form.querySelector("input[name=version]");
  let dirty = document.getElementById("device-copy-restored") !== null;
  let saving = false;

  form.addEventListener("input", () => {
    dirty = true;
  });

  function signInAgain(message) {
    status.textContent = message + " What you wrote is kept on this device. ";
    const link = document.createElement("a");
    link.className = "govuk-link";
    link.href = "/sign-in/?next=" + encodeURIComponent(location.pathname + location.search);
    link.textContent = "Sign in again to save it";
    status.append(link);
  }

  async function save() {
    if (!dirty || saving) return;
    saving = true;
    dirty = false;
    try {
      const response = await fetch(form.dataset.autosaveUrl, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "X-Casework-Autosave": "1" },
      });
      const answer = await response.json();
      if (answer.saved) {
        version.value = answer.version;
        status.textContent = "Draft saved automatically at " + answer.at;
        form.dispatchEvent(new CustomEvent("casework:saved", { bubbles: true, detail: { at: answer.at } }));
      } else if (answer.signed_out) {
        dirty = true;
        signInAgain(answer.message);
      } else {
        dirty = true;
        status.textContent = (answer.message || "Your draft could not be saved automatically.") +
          " Press Save draft to keep your text" + (response.status === 409 ? " and see theirs beside it." : ".");
      }
    } catch {
      dirty = true;
      status.textContent = "Your draft could not be saved automatically (no connection?): it is kept on this " +
        "device. Use Save draft when you are back online.";
    } finally {
      saving = false;
    }
  }

  setInterval(save, 60_000);
  document.addEventListener("casework:session-ending", save);
  if (dirty) save();
}

initAutosave();
