/** Mocked outputs of the container platform's providers (Docker, remote commands, random ids). */
import { createHash } from "node:crypto";
import type { StateFn } from "./mockState";

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

export const containerOutputs: Readonly<Record<string, StateFn>> = {
  "docker:index/remoteImage:RemoteImage": (inputs) => {
    const digest = sha256(String(inputs.name));
    return { imageId: `sha256:${digest}`, repoDigest: `${String(inputs.name).split(":")[0]}@sha256:${digest}` };
  },
  "docker:index/container:Container": (inputs, name) => ({ name: inputs.name ?? name, exitCode: 0, containerLogs: "" }),
  "docker:index/network:Network": (inputs, name) => ({ name: inputs.name ?? name, driver: inputs.driver ?? "bridge", scope: "local" }),
  "docker:index/volume:Volume": (inputs, name) => {
    const volume = String(inputs.name ?? name);
    return { name: volume, driver: "local", mountpoint: `/var/lib/docker/volumes/${volume}/_data` };
  },
  "command:remote:Command": () => ({ stdout: "", stderr: "" }),
  // Keepers are in the seed: a real RandomId draws a new value when they change, and a node's generation relies on it.
  "random:index/randomId:RandomId": (inputs, name) => {
    const seed = inputs.keepers === undefined ? name : `${name}\0${JSON.stringify(inputs.keepers)}`;
    const bytes = createHash("sha256").update(seed).digest().subarray(0, Number(inputs.byteLength ?? 8));
    return { hex: bytes.toString("hex"), b64Url: bytes.toString("base64url"), b64Std: bytes.toString("base64"), dec: BigInt(`0x${bytes.toString("hex")}`).toString() };
  },
};
