// GoLive front-end entry point: start nhsuk-frontend's components (header menu, error summary
// focus, radios/checkboxes reveal …) and GoLive's own (the session timeout warning). Served as a module;
// nhsuk-frontend.min.js is itself an ES module.
import { initAll } from "../nhsuk/nhsuk-frontend.min.js";
import { initAllSessionTimeouts } from "./session-timeout.mjs";

initAll();
initAllSessionTimeouts();
