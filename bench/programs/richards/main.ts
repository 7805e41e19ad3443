// Richards benchmark: an operating-system task scheduler simulation (idle,
// worker, two handlers, two devices exchanging packets): virtual calls,
// linked queues, state bits. Checksum: queue and hold counts of `inner`
// schedules (each must be 2322 / 928).

const ID_IDLE = 0, ID_WORKER = 1, ID_HANDLER_A = 2, ID_HANDLER_B = 3, ID_DEVICE_A = 4, ID_DEVICE_B = 5;
const KIND_DEVICE = 0, KIND_WORK = 1;
const DATA_SIZE = 4;

const STATE_RUNNABLE = 1, STATE_SUSPENDED = 2, STATE_HELD = 4;
const STATE_SUSPENDED_RUNNABLE = STATE_SUSPENDED | STATE_RUNNABLE;
const STATE_NOT_HELD = ~STATE_HELD;

class Packet {
  a1 = 0;
  readonly a2: number[] = new Array<number>(DATA_SIZE).fill(0);
  constructor(public link: Packet | null, public id: number, readonly kind: number) {}

  /** Appends this packet to the end of `queue`, returning the new head. */
  addTo(queue: Packet | null): Packet {
    this.link = null;
    if (queue === null) return this;
    let next = queue;
    while (next.link !== null) next = next.link;
    next.link = this;
    return queue;
  }
}

interface Task {
  run(packet: Packet | null): Tcb | null;
}

class Tcb {
  state: number;
  constructor(
    public link: Tcb | null, readonly id: number, readonly priority: number,
    public queue: Packet | null, readonly task: Task,
  ) {
    this.state = queue === null ? STATE_SUSPENDED : STATE_SUSPENDED_RUNNABLE;
  }

  setRunning(): void { this.state = 0; }
  markAsNotHeld(): void { this.state &= STATE_NOT_HELD; }
  markAsHeld(): void { this.state |= STATE_HELD; }
  isHeldOrSuspended(): boolean { return (this.state & STATE_HELD) !== 0 || this.state === STATE_SUSPENDED; }
  markAsSuspended(): void { this.state |= STATE_SUSPENDED; }
  markAsRunnable(): void { this.state |= STATE_RUNNABLE; }

  run(): Tcb | null {
    let packet: Packet | null = null;
    if (this.state === STATE_SUSPENDED_RUNNABLE) {
      packet = this.queue!;
      this.queue = packet.link;
      this.state = this.queue === null ? 0 : STATE_RUNNABLE;
    }
    return this.task.run(packet);
  }

  /** A packet arrives: runs this task instead of `current` if it has higher priority. */
  checkPriorityAdd(current: Tcb, packet: Packet): Tcb {
    if (this.queue === null) {
      this.queue = packet;
      this.markAsRunnable();
      if (this.priority > current.priority) return this;
    } else {
      this.queue = packet.addTo(this.queue);
    }
    return current;
  }
}

class Scheduler {
  queueCount = 0;
  holdCount = 0;
  private readonly blocks: (Tcb | null)[] = new Array<Tcb | null>(6).fill(null);
  private list: Tcb | null = null;
  private current: Tcb | null = null;
  private currentId = 0;

  addTask(id: number, priority: number, queue: Packet | null, task: Task): void {
    this.current = new Tcb(this.list, id, priority, queue, task);
    this.list = this.current;
    this.blocks[id] = this.current;
  }

  addRunningTask(id: number, priority: number, queue: Packet | null, task: Task): void {
    this.addTask(id, priority, queue, task);
    this.current!.setRunning();
  }

  schedule(): void {
    this.current = this.list;
    while (this.current !== null) {
      if (this.current.isHeldOrSuspended()) {
        this.current = this.current.link;
      } else {
        this.currentId = this.current.id;
        this.current = this.current.run();
      }
    }
  }

  release(id: number): Tcb | null {
    const tcb = this.blocks[id];
    if (tcb === null) return tcb;
    tcb.markAsNotHeld();
    return tcb.priority > this.current!.priority ? tcb : this.current;
  }

  holdCurrent(): Tcb | null {
    this.holdCount++;
    this.current!.markAsHeld();
    return this.current!.link;
  }

  suspendCurrent(): Tcb | null {
    this.current!.markAsSuspended();
    return this.current;
  }

  queue(packet: Packet): Tcb | null {
    const target = this.blocks[packet.id];
    if (target === null) return target;
    this.queueCount++;
    packet.link = null;
    packet.id = this.currentId;
    return target.checkPriorityAdd(this.current!, packet);
  }
}

class IdleTask implements Task {
  constructor(private readonly s: Scheduler, private v1: number, private count: number) {}
  run(_packet: Packet | null): Tcb | null {
    this.count--;
    if (this.count === 0) return this.s.holdCurrent();
    if ((this.v1 & 1) === 0) {
      this.v1 = this.v1 >> 1;
      return this.s.release(ID_DEVICE_A);
    }
    this.v1 = (this.v1 >> 1) ^ 0xd008;
    return this.s.release(ID_DEVICE_B);
  }
}

class DeviceTask implements Task {
  private pending: Packet | null = null;
  constructor(private readonly s: Scheduler) {}
  run(packet: Packet | null): Tcb | null {
    if (packet === null) {
      if (this.pending === null) return this.s.suspendCurrent();
      const v = this.pending;
      this.pending = null;
      return this.s.queue(v);
    }
    this.pending = packet;
    return this.s.holdCurrent();
  }
}

class WorkerTask implements Task {
  constructor(private readonly s: Scheduler, private v1: number, private v2: number) {}
  run(packet: Packet | null): Tcb | null {
    if (packet === null) return this.s.suspendCurrent();
    this.v1 = this.v1 === ID_HANDLER_A ? ID_HANDLER_B : ID_HANDLER_A;
    packet.id = this.v1;
    packet.a1 = 0;
    for (let i = 0; i < DATA_SIZE; i++) {
      this.v2++;
      if (this.v2 > 26) this.v2 = 1;
      packet.a2[i] = this.v2;
    }
    return this.s.queue(packet);
  }
}

class HandlerTask implements Task {
  private workIn: Packet | null = null;
  private deviceIn: Packet | null = null;
  constructor(private readonly s: Scheduler) {}
  run(packet: Packet | null): Tcb | null {
    if (packet !== null) {
      if (packet.kind === KIND_WORK) this.workIn = packet.addTo(this.workIn);
      else this.deviceIn = packet.addTo(this.deviceIn);
    }
    if (this.workIn !== null) {
      const count = this.workIn.a1;
      if (count < DATA_SIZE) {
        if (this.deviceIn !== null) {
          const v = this.deviceIn;
          this.deviceIn = v.link;
          v.a1 = this.workIn.a2[count];
          this.workIn.a1 = count + 1;
          return this.s.queue(v);
        }
      } else {
        const v = this.workIn;
        this.workIn = v.link;
        return this.s.queue(v);
      }
    }
    return this.s.suspendCurrent();
  }
}

function richards(): string {
  const s = new Scheduler();
  s.addRunningTask(ID_IDLE, 0, null, new IdleTask(s, 1, 1000));

  let queue = new Packet(null, ID_WORKER, KIND_WORK);
  queue = new Packet(queue, ID_WORKER, KIND_WORK);
  s.addTask(ID_WORKER, 1000, queue, new WorkerTask(s, ID_HANDLER_A, 0));

  queue = new Packet(null, ID_DEVICE_A, KIND_DEVICE);
  queue = new Packet(queue, ID_DEVICE_A, KIND_DEVICE);
  queue = new Packet(queue, ID_DEVICE_A, KIND_DEVICE);
  s.addTask(ID_HANDLER_A, 2000, queue, new HandlerTask(s));

  queue = new Packet(null, ID_DEVICE_B, KIND_DEVICE);
  queue = new Packet(queue, ID_DEVICE_B, KIND_DEVICE);
  queue = new Packet(queue, ID_DEVICE_B, KIND_DEVICE);
  s.addTask(ID_HANDLER_B, 3000, queue, new HandlerTask(s));

  s.addTask(ID_DEVICE_A, 4000, null, new DeviceTask(s));
  s.addTask(ID_DEVICE_B, 5000, null, new DeviceTask(s));
  s.schedule();
  return `${s.queueCount}/${s.holdCount}`;
}

function iteration(inner: number): string {
  let result = '';
  for (let i = 0; i < inner; i++) {
    const r = richards();
    if (i > 0 && r !== result) throw new Error(`richards gave ${r}, then ${result}`);
    result = r;
  }
  return `${inner}x${result}`;
}

// ---- harness (the same in every benchmark program) ----
// BENCH_SCALE multiplies the work per iteration, BENCH_WARMUP and
// BENCH_ITERATIONS set the number of untimed and timed iterations. Prints one
// deterministic CHECKSUM line and one machine-readable BENCH line.
function benchEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  const v = raw === undefined || raw === '' ? NaN : Number(raw);
  return Number.isFinite(v) && v >= 0 ? v : fallback;
}

function runBench(name: string, innerDefault: number, iteration: (inner: number) => number | string): void {
  const inner = Math.max(1, Math.round(innerDefault * benchEnv('BENCH_SCALE', 1)));
  const warmup = benchEnv('BENCH_WARMUP', 3);
  const count = Math.max(1, benchEnv('BENCH_ITERATIONS', 10));
  const times: number[] = [];
  let check: number | string = '';
  for (let i = 0; i < warmup + count; i++) {
    const t0 = performance.now();
    const result = iteration(inner);
    const ms = performance.now() - t0;
    if (i === 0) check = result;
    else if (result !== check) throw new Error(`${name}: iteration ${i} gave ${result}, the first gave ${check}`);
    if (i >= warmup) times.push(Math.round(ms * 1000) / 1000);
  }
  console.log(`CHECKSUM ${name} inner=${inner} ${check}`);
  console.log(`BENCH ${JSON.stringify({ name, inner, warmup, iterations: times })}`);
}

runBench('richards', 500, iteration);
