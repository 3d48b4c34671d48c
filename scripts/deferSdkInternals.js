// Preloaded by the plan command (`npm run plan`, package.json) and nothing else: @pulumi/pulumi's closure
// serializer and provider analyzer, which load TypeScript and npm's Arborist (about 0.2 s of a 1 s plan), are loaded
// on first use instead of when the SDK starts (./lazyModule.js). A plan never uses them. `pulumi up` and
// `pulumi preview` run main.js without this, so the program they run is unchanged.
"use strict";
const Module = require("node:module");
const { lazyModule } = require("./lazyModule");

const load = Module._load;
Module._load = function deferred(request, parent, isMain) {
  const fromSdk = parent !== undefined && parent !== null && /[\\/]node_modules[\\/]@pulumi[\\/]pulumi[\\/]/.test(parent.filename ?? "");
  if (fromSdk && (/(^|[\\/])typescript-shim$/.test(request) || request === "@npmcli/arborist")) {
    return lazyModule(() => load.call(this, request, parent, isMain));
  }
  return load.call(this, request, parent, isMain);
};
