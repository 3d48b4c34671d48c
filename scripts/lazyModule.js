/**
 * A module that is loaded the first time one of its members is used, not when it is required. @pulumi/pulumi's
 * index loads its closure serializer and provider analyzer eagerly, which pull in TypeScript (9 MB of JavaScript)
 * and npm's Arborist (hundreds of files), though neither a plan nor a test serializes a closure or analyzes a
 * provider: the plan command (./deferSdkInternals.js) and jest (its moduleNameMapper, tests/support/lazy/) hand out
 * this stand-in instead, and whatever does use them gets the real module.
 */
"use strict";

/** @param {() => object} load the real require, called at most once */
function lazyModule(load) {
  let real;
  const target = () => (real ??= load());
  return new Proxy(
    {},
    {
      // Claimed up front so that TypeScript's `__importStar` hands the proxy on instead of enumerating it now.
      get: (_, key) => (key === "__esModule" ? true : target()[key]),
      has: (_, key) => key in target(),
      ownKeys: () => Reflect.ownKeys(target()),
      getOwnPropertyDescriptor: (_, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(target(), key);
        return descriptor && { ...descriptor, configurable: true };
      },
    },
  );
}

module.exports = { lazyModule };
