// Preloaded by the npm scripts (`node -r ./scripts/fresh.js bin/...`) and required by main.js: the compiled program
// is brought up to date with the sources before anything from bin/ loads.
require("./build").ensureBuilt();
