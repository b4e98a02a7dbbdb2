/** In-memory transcript of the simulator: what each fake worker sent and what the OA sent back. */
export interface SimMessage {
  seq: number;
  userId: string;
  from: 'user' | 'oa';
  kind?: string;
  /** For OA messages: the message object as the Zalo client sent it. */
  message?: unknown;
  text?: string;
  at: string;
}

export class SimulatorStore {
  private seq = 0;
  private items: SimMessage[] = [];
  constructor(private readonly cap = 5000) {}

  add(m: Omit<SimMessage, 'seq' | 'at'>): SimMessage {
    const item = { ...m, seq: ++this.seq, at: new Date().toISOString() };
    this.items.push(item);
    if (this.items.length > this.cap) this.items.splice(0, this.items.length - this.cap);
    return item;
  }

  since(userId: string, after: number): SimMessage[] {
    return this.items.filter((m) => m.userId === userId && m.seq > after);
  }

  all(): SimMessage[] {
    return [...this.items];
  }
}
