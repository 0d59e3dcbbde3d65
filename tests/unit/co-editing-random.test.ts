/**
 * Editors typing into the same paragraph at once, each at a caret of their own, through the Yjs–ProseMirror binding
 * the browser uses (with the project's patch of it, decision 0012). Each editor types runs of characters at random
 * places of the paragraph's original text while the others' changes arrive late, in order per link as the server
 * relays them. Afterwards every editor must show the same document, every run must read as it was typed, in one
 * piece, and the original text must still be there in order: nobody's typing lands where their caret was not.
 */
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { writeContentToYDoc } from "#app/editor/content";
import { BoundEditor } from "#tests/support/bound-editor";
import { seededRandom, type Random } from "#tests/support/random-draft";

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
const STEPS = 400;
/** Original text is upper case and typed text lower case, so each can be told apart in the result. */
const ORIGINAL = "THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG AND KEEPS RUNNING TO THE END";
const TYPED_LETTERS = "abcdefghijklmnopqrstuvwxyz";

interface Scenario {
  /**
   * The first editor also presses Enter, joins with Backspace and pastes lines. Two people splitting one paragraph
   * at the same moment, or deleting a character while another splits the text before it, are limits of the binding
   * that this test does not exercise (decision 0012).
   */
  structural: boolean;
  /**
   * "late": each step lets through some of one link's queued updates, so a change can wait many keystrokes.
   * "prompt": each step delivers each link's queue with probability 0.7, as a server relays between keystrokes.
   */
  delivery: "late" | "prompt";
}

interface Run {
  /** What the editor typed, Enter as a line feed; it must appear exactly so in the result. */
  text: string;
  /** Keystrokes left before the editor moves elsewhere. */
  left: number;
}

/** Per-link queues delivered in order, as the server relays each editor's updates to every other. */
class Relay {
  private readonly queues = new Map<string, Uint8Array[]>();

  constructor(private readonly docs: Y.Doc[]) {
    docs.forEach((doc, from) => {
      doc.on("update", (update: Uint8Array, origin: unknown) => {
        if (origin === this) return;
        docs.forEach((_, to) => {
          if (to !== from) this.queue(from, to).push(update);
        });
      });
    });
  }

  async deliver(random: Random, delivery: Scenario["delivery"]): Promise<void> {
    if (delivery === "prompt") {
      for (const [link, queue] of this.queues) {
        if (random.chance(0.7)) await this.deliverQueue(link, queue.length);
      }
      return;
    }
    if (!random.chance(0.45)) return;
    const from = random.int(this.docs.length);
    const to = (from + 1 + random.int(this.docs.length - 1)) % this.docs.length;
    const queue = this.queue(from, to);
    await this.deliverQueue(`${from}>${to}`, random.between(1, Math.max(1, queue.length)));
  }

  /** Until nothing is queued: an update can make its receiver answer with one of its own. */
  async deliverAll(): Promise<void> {
    while ([...this.queues.values()].some((queue) => queue.length > 0)) {
      for (const [link, queue] of this.queues) await this.deliverQueue(link, queue.length);
    }
  }

  /** Applies updates one by one as messages from the server, letting the editor finish reacting to each. */
  private async deliverQueue(link: string, count: number): Promise<void> {
    const doc = this.docs[Number(link.split(">")[1])];
    const queue = this.queues.get(link) ?? [];
    for (const update of queue.splice(0, count)) {
      if (doc) Y.applyUpdate(doc, update, this);
      await Promise.resolve();
    }
  }

  private queue(from: number, to: number): Uint8Array[] {
    const link = `${from}>${to}`;
    let queue = this.queues.get(link);
    if (!queue) this.queues.set(link, (queue = []));
    return queue;
  }
}

function startingDocs(seed: number, editors: number): Y.Doc[] {
  const first = new Y.Doc();
  first.clientID = seed * 10;
  writeContentToYDoc(
    {
      type: "doc",
      content: [
        { type: "paragraph", attrs: { id: "bbefore0001" }, content: [{ type: "text", text: "BEFORE" }] },
        { type: "paragraph", attrs: { id: "bshared0001" }, content: [{ type: "text", text: ORIGINAL }] },
        { type: "paragraph", attrs: { id: "bafter00001" }, content: [{ type: "text", text: "AFTER" }] },
      ],
    },
    first,
  );
  return Array.from({ length: editors }, (_, index) => {
    const doc = new Y.Doc();
    // Fixed client ids: Yjs orders concurrent inserts by them, and a seed must replay the same every time.
    doc.clientID = seed * 10 + index + 1;
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(first));
    return doc;
  });
}

const isOriginal = (character: string): boolean => (character >= "A" && character <= "Z") || character === " ";

/** The index in `text` just after the n-th character of the original paragraph (n = 0: just before its first). */
function afterOriginalCharacter(text: string, n: number): number {
  const start = text.indexOf("\n") + 1;
  if (n === 0) return start;
  let seen = 0;
  for (let index = start; index < text.length; index++) {
    if (isOriginal(text[index] ?? "") && ++seen === n) return index + 1;
  }
  throw new Error(`original character ${n} not found`);
}

const typedCharacter = (random: Random): string => random.pick([...TYPED_LETTERS]);

async function runCoEditing(seed: number, editorCount: number, scenario: Scenario): Promise<void> {
  const random = seededRandom(seed);
  const docs = startingDocs(seed, editorCount);
  const relay = new Relay(docs);
  const editors = docs.map((doc) => new BoundEditor(doc));
  const runs: Array<Run | null> = editors.map(() => null);
  const finished: string[] = [];
  let runNumber = 0;

  for (let step = 0; step < STEPS; step++) {
    await relay.deliver(random, scenario.delivery);
    const who = random.int(editors.length);
    const editor = editors[who];
    if (!editor) continue;
    const run = runs[who];
    if (!run) {
      // A run opens with a marker of its own, so that it can be found in the result however it was split.
      runNumber++;
      editor.placeCaretAtIndex(afterOriginalCharacter(editor.text(), random.int(ORIGINAL.length + 1)));
      const marker = `<${"xyz"[who]}${runNumber}:`;
      editor.type(marker);
      runs[who] = { text: marker, left: random.between(4, 20) };
      continue;
    }
    const structural = scenario.structural && who === 0;
    // Without structural edits anyone deletes what they typed; with them only the one who splits does.
    const mayDelete = !scenario.structural || structural;
    const action = random.next();
    if (action < 0.07 && mayDelete && !run.text.endsWith(":") && (structural || !run.text.endsWith("\n"))) {
      editor.pressBackspace();
      run.text = run.text.slice(0, -1);
    } else if (action < 0.12 && structural) {
      editor.pressEnter();
      run.text += "\n";
    } else if (action < 0.2) {
      const pasted = Array.from({ length: random.between(2, 8) }, () => typedCharacter(random)).join("");
      const withLine = structural && random.chance(0.3) ? `${pasted}\n${typedCharacter(random)}${typedCharacter(random)}` : pasted;
      editor.paste(withLine);
      run.text += withLine;
    } else {
      const character = typedCharacter(random);
      editor.type(character);
      run.text += character;
    }
    run.left--;
    if (run.left <= 0) {
      editor.type(">");
      finished.push(`${run.text}>`);
      runs[who] = null;
    }
  }
  runs.forEach((run, who) => {
    if (!run) return;
    editors[who]?.type(">");
    finished.push(`${run.text}>`);
  });
  await relay.deliverAll();

  const [first, ...others] = editors;
  if (!first) throw new Error("no editors");
  for (const other of others) expect(other.state.doc.toJSON()).toEqual(first.state.doc.toJSON());
  const text = first.text();
  const original = [...text.slice(text.indexOf("\n") + 1, text.lastIndexOf("\n"))].filter(isOriginal).join("");
  expect(original).toBe(ORIGINAL);
  for (const typed of finished) {
    expect(text.split(typed).length - 1, `run ${JSON.stringify(typed)} in ${JSON.stringify(text)}`).toBe(1);
  }
  for (const editor of editors) editor.destroy();
}

describe("editors typing in the same paragraph at once, however late the others' typing arrives", () => {
  const scenario: Scenario = { structural: false, delivery: "late" };
  for (const seed of SEEDS) {
    it(`keeps two editors' typing intact and in order (seed ${seed})`, () => runCoEditing(seed, 2, scenario));
    it(`keeps three editors' typing intact and in order (seed ${seed})`, () => runCoEditing(seed, 3, scenario));
  }
});

describe("editors typing in a paragraph another splits, joins and pastes lines into, changes relayed between keystrokes", () => {
  const scenario: Scenario = { structural: true, delivery: "prompt" };
  for (const seed of SEEDS) {
    it(`keeps two editors' typing intact and in order (seed ${seed})`, () => runCoEditing(seed, 2, scenario));
    it(`keeps three editors' typing intact and in order (seed ${seed})`, () => runCoEditing(seed, 3, scenario));
  }
});
