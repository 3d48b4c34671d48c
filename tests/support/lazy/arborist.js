// @npmcli/arborist as @pulumi/pulumi's closure serializer requires it, loaded on first use (see lazyModule.js).
module.exports = require("../../../scripts/lazyModule").lazyModule(() => require("@npmcli/arborist/lib/index.js"));
