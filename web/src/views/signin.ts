// Sign-in with an API key (KEYID:SECRET). The key is checked with
// GET /api/v1/whoami before it is kept in sessionStorage.

import { api, describeError } from "../api";
import { h, replace } from "../dom";
import { API_KEY_PATTERN, setApiKey } from "../session";
import type { Whoami } from "../types";

export function signInView(root: HTMLElement, onSignedIn: () => void, reason?: string): void {
  const input = h("input", {
    id: "api-key",
    name: "api-key",
    type: "password",
    autocomplete: "off",
    spellcheck: "false",
    required: true,
    "aria-describedby": "api-key-hint",
  });
  const status = h("div", { class: "form-status", "aria-live": "assertive" });
  const button = h("button", { type: "submit", class: "primary" }, "Sign in");
  const form = h(
    "form",
    { class: "signin-form", novalidate: true },
    h("label", { for: "api-key" }, "API key"),
    input,
    h("p", { id: "api-key-hint", class: "hint" },
      "Your key as KEYID:SECRET, from your node's administrator (accord key create). ",
      "It is kept only in this browser tab and forgotten when the tab closes."),
    status,
    button,
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const key = input.value.trim();
    if (!API_KEY_PATTERN.test(key)) {
      replace(status, h("p", { class: "error", role: "alert" },
        "An API key is a key id and a secret separated by a colon (KEYID:SECRET), without spaces."));
      input.focus();
      return;
    }
    button.disabled = true;
    replace(status, h("p", { role: "status" }, "Checking the key…"));
    try {
      await api<Whoami>("/whoami", { apiKey: key });
      setApiKey(key);
      input.value = "";
      onSignedIn();
    } catch (e) {
      replace(status, h("p", { class: "error", role: "alert" }, `Sign-in failed. ${describeError(e)}`));
      button.disabled = false;
      input.focus();
    }
  });

  document.title = "Sign in — Accord";
  replace(
    root,
    h(
      "main",
      { id: "main", class: "signin", tabindex: -1 },
      h("div", { class: "signin-card" },
        h("p", { class: "brand brand-large" }, "Accord"),
        h("h1", null, "Sign in"),
        h("p", { class: "muted" }, "Cybercrime information exchange, early warning and the 24/7 network."),
        reason ? h("p", { class: "notice notice-warning", role: "status" }, reason) : null,
        form),
    ),
  );
  input.focus();
}
