import { resolve } from "node:path";
import { Command } from "commander";
import { PublicService } from "@ipfed/proto";
import { IpfedError } from "@ipfed/sdk";
import { loadConfig } from "../../config/node-config.js";
import { openNodeStore } from "../../store/node-store.js";
import { action } from "../run.js";
import { pick, withTexts } from "../format.js";

interface SetOptions {
  dir: string;
  service: string;
  nameZh?: string;
  nameEn?: string;
  descriptionZh?: string;
  descriptionEn?: string;
  channels?: string;
  hours?: string;
  contactName?: string;
  contactEmail?: string;
  contactPhone?: string;
  contactUrl?: string;
  contactAddress?: string;
  json?: boolean;
}


async function open(dir: string) {
  const d = resolve(dir);
  const config = await loadConfig(d);
  return { node: await openNodeStore(d, config.id), config };
}

/** `ipfed services list|set|remove`: the public services a member offers. */
export function servicesCommand(): Command {
  const cmd = new Command("services").description("list and edit the public services of a node (the node must be stopped to edit)");
  cmd.addCommand(
    new Command("list")
      .description("list the public services")
      .requiredOption("--dir <dir>", "data directory of the node")
      .option("--json", "print JSON")
      .addHelpText("after", "\nExample:\n  $ ipfed services list --dir ./data/tisc\n")
      .action(
        action(async (opts: { dir: string; json?: boolean }) => {
          const { node } = await open(opts.dir);
          try {
            const all = await node.store.listServices();
            if (opts.json) console.log(JSON.stringify(all.map((s) => PublicService.toJSON(s)), null, 2));
            else for (const s of all) console.log(`${s.id.padEnd(20)} ${s.channels.join(",").padEnd(20)} ${s.hours.padEnd(22)} ${pick(s.names, "zh")}`);
          } finally {
            await node.close();
          }
        }),
      ),
  );
  cmd.addCommand(
    new Command("set")
      .description("create a public service or change it")
      .requiredOption("--dir <dir>", "data directory of the node")
      .requiredOption("--service <id>", "service id")
      .option("--name-zh <text>", "Chinese name")
      .option("--name-en <text>", "English name")
      .option("--description-zh <text>", "Chinese description")
      .option("--description-en <text>", "English description")
      .option("--channels <list>", "onsite,online,phone,email")
      .option("--hours <text>", "opening hours, e.g. 'Mon-Fri 09:00-17:00'")
      .option("--contact-name <text>", "desk or person")
      .option("--contact-email <email>", "e-mail")
      .option("--contact-phone <phone>", "telephone")
      .option("--contact-url <url>", "web address")
      .option("--contact-address <text>", "postal address")
      .option("--json", "print the service as JSON")
      .addHelpText("after", '\nExample:\n  $ ipfed services set --dir ./data/tisc --service search-desk --name-zh 专利检索咨询 --name-en "Patent search desk" --channels onsite,online --hours "Mon-Fri 09:00-17:00"\n')
      .action(
        action(async (opts: SetOptions) => {
          if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(opts.service)) throw new IpfedError("INVALID_ARGUMENT", `--service "${opts.service}" must be lower-case letters, digits, '-' and '_'`, { field: "--service" });
          const { node, config } = await open(opts.dir);
          try {
            const old = (await node.store.listServices()).find((s) => s.id === opts.service) ?? PublicService.fromPartial({ id: opts.service, memberId: config.id });
            const c = old.contact ?? { name: "", email: "", phone: "", url: "", address: "" };
            const next: PublicService = {
              ...old,
              names: withTexts(opts.nameZh, opts.nameEn, old.names),
              descriptions: withTexts(opts.descriptionZh, opts.descriptionEn, old.descriptions),
              ...(opts.channels !== undefined ? { channels: opts.channels.split(",").map((s) => s.trim()).filter(Boolean) } : {}),
              ...(opts.hours !== undefined ? { hours: opts.hours } : {}),
              contact: {
                name: opts.contactName ?? c.name,
                email: opts.contactEmail ?? c.email,
                phone: opts.contactPhone ?? c.phone,
                url: opts.contactUrl ?? c.url,
                address: opts.contactAddress ?? c.address,
              },
            };
            await node.store.putService(next);
            if (opts.json) console.log(JSON.stringify(PublicService.toJSON(next), null, 2));
            else console.log(`Service ${next.id} saved`);
          } finally {
            await node.close();
          }
        }),
      ),
  );
  cmd.addCommand(
    new Command("remove")
      .description("remove a public service")
      .requiredOption("--dir <dir>", "data directory of the node")
      .requiredOption("--service <id>", "service id")
      .addHelpText("after", "\nExample:\n  $ ipfed services remove --dir ./data/tisc --service search-desk\n")
      .action(
        action(async (opts: { dir: string; service: string }) => {
          const { node } = await open(opts.dir);
          try {
            if (!(await node.store.deleteService(opts.service))) throw new IpfedError("SERVICE_NOT_FOUND", `no service "${opts.service}"`, { field: "--service" });
            console.log(`Service ${opts.service} removed`);
          } finally {
            await node.close();
          }
        }),
      ),
  );
  return cmd;
}
