import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { nginxConf } from "#tests/support/nginx-conf";

const documented = readFileSync(path.resolve(import.meta.dirname, "../../docs/operations/nginx.conf"), "utf8");

describe("the cluster's nginx configuration, made from the documented one", () => {
  const conf = nginxConf(documented, { directory: "/tmp/cluster-x", listen: "127.0.0.1:41000", upstreams: ["127.0.0.1:41001", "127.0.0.1:41002"] });

  it("sends to the cluster's nodes only, with the documented health checks", () => {
    expect(conf.match(/^\s*server 127\.0\.0\.1:\d+.*;$/gm)?.map((line) => line.trim())).toEqual([
      "server 127.0.0.1:41001 max_fails=3 fail_timeout=10s;",
      "server 127.0.0.1:41002 max_fails=3 fail_timeout=10s;",
    ]);
  });

  it("listens on the cluster's address only and keeps its files in the cluster's folder", () => {
    expect(conf.match(/^\s*listen .*;$/gm)?.map((line) => line.trim())).toEqual(["listen 127.0.0.1:41000;"]);
    const directives = conf.replace(/#.*$/gm, "");
    expect(directives).not.toMatch(/\/(var|run|etc)\//);
    expect(conf).toContain("access_log /tmp/cluster-x/access.log samrad;");
  });

  it("keeps everything else as documented", () => {
    for (const line of documented.split("\n").filter((text) => /^\s*(proxy_|location|gzip|client_max_body_size|least_conn|keepalive)/.test(text))) {
      expect(conf).toContain(line);
    }
  });

  it("fails when the documented file no longer has what it replaces", () => {
    expect(() => nginxConf(documented.replace(/listen /g, "# listen "), { directory: "/tmp/x", listen: "127.0.0.1:1", upstreams: [] })).toThrow(/listen/);
  });
});
