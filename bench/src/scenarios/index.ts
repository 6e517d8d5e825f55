import type { Scenario } from "../scenario.js";
import { exportScenario } from "./export.js";
import { federationScenario } from "./federation.js";
import { footprintScenario } from "./footprint.js";
import { ingestScenario } from "./ingest.js";
import { searchScenario } from "./search.js";
import { tokensScenario } from "./tokens.js";

/** Every scenario, in the order `pnpm bench` runs them and the README lists them. */
export const SCENARIOS: readonly Scenario[] = [ingestScenario, searchScenario, federationScenario, exportScenario, tokensScenario, footprintScenario];
