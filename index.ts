// Entry point for the Pulumi CLI: it calls the exported function and records what it returns as stack outputs.
import { hybridlab } from "./stacks/program";

export = hybridlab;
