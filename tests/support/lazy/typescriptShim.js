// @pulumi/pulumi's `typescript-shim`, loaded on first use (see lazyModule.js).
module.exports = require("../../../scripts/lazyModule").lazyModule(() => require("@pulumi/pulumi/typescript-shim.js"));
