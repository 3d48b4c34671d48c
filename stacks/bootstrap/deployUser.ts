/**
 * The account automation logs in with on every node. First boot creates it with the estate's deploy key and
 * nothing else, so a machine's first-boot document does not change when operators come and go; the operators
 * themselves are applied to running machines by the operator sync (operators.ts), which this account runs.
 */
export const DEPLOY_USER = "hybridlab";
