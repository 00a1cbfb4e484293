//! The walk over the inputs: each input decoded by a fresh Decoder (frames numbered per
//! file), every message handed to a [`Worker`] that writes its output lines into a buffer.
//! With `--threads N` (N > 1) the frames are sharded by flow ([`crate::shard`]) over N
//! workers, each with its own Decoder and Engine; their lines are merged back in the order
//! one thread writes them (the order of the frames that produced them).

use std::collections::VecDeque;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Arc;

use sigscope::capture::Packet;
use sigscope::record::{Decoder, Options};

use crate::inputs::Input;
use crate::shard::deal;
use crate::ui::{Progress, Ui, PROGRESS_EVERY_FRAMES};
use crate::worker::{Task, Worker};

/// Output lines are handed to the output in pieces of about this many bytes.
pub const OUTPUT_CHUNK: usize = 1 << 16;
/// Frames read before every worker is sent what it was dealt (and the merge moves on).
pub const DISPATCH_BATCH: u64 = 512;
/// Batches queued per worker (bounds memory when a worker falls behind).
pub const QUEUE_BATCHES: usize = 8;
/// Most worker threads.
pub const MAX_THREADS: usize = 64;

/// How the walk ended.
#[derive(Debug, Default, Clone, Copy)]
pub struct Outcome {
    /// 0, or 1 (an input cut short, an output error), or 2 (an input unreadable).
    pub code: u8,
    /// Frames read over all inputs.
    pub frames: u64,
}

/// What a run needs besides its worker(s).
pub struct Ctx<'a> {
    /// The inputs.
    pub inputs: &'a [Input],
    /// Decoder options.
    pub opts: Options,
    /// Messages.
    pub ui: Ui,
    /// Progress over the inputs.
    pub progress: &'a Progress,
}

impl Ctx<'_> {
    /// The input's name for output lines, when there are several inputs.
    fn label(&self, input: &Input) -> Option<Arc<str>> {
        (self.inputs.len() > 1).then(|| Arc::from(input.name()))
    }
}

/// Report an output error; a closed pipe ends the run quietly.
fn output_error(ui: &Ui, e: &io::Error) -> u8 {
    if e.kind() == io::ErrorKind::BrokenPipe {
        0
    } else {
        ui.error(&format!("output: {e}"));
        1
    }
}

/// One thread: decode every input in turn, writing the worker's lines to `out`.
pub fn single(ctx: &Ctx<'_>, w: &mut Worker, out: &mut dyn Write) -> Outcome {
    let mut res = Outcome::default();
    let mut buf: Vec<u8> = Vec::with_capacity(OUTPUT_CHUNK + 8192);
    let mut write_err: Option<io::Error> = None;
    for input in ctx.inputs {
        let name = input.name();
        w.set_file(ctx.label(input));
        let mut reader = match input.open(ctx.progress.read.clone()) {
            Ok(r) => r,
            Err(e) => {
                ctx.progress
                    .suspend(|| ctx.ui.error(&format!("{name}: {e}")));
                res.code = res.code.max(2);
                continue;
            }
        };
        let mut dec = Decoder::new(ctx.opts);
        loop {
            match reader.next_packet() {
                Ok(Some(p)) => dec.packet(&p, &mut |m| w.message(m, &mut buf)),
                Ok(None) => break,
                Err(e) => {
                    let msg = format!("{name}: {e} ({} frames decoded)", reader.frames());
                    ctx.progress.suspend(|| ctx.ui.error(&msg));
                    res.code = res.code.max(1);
                    break;
                }
            }
            if reader.frames() % PROGRESS_EVERY_FRAMES == 0 {
                ctx.progress.tick(&name);
            }
            if buf.len() >= OUTPUT_CHUNK {
                if let Err(e) = out.write_all(&buf) {
                    write_err = Some(e);
                    break;
                }
                buf.clear();
            }
        }
        // what reassembly still holds is reported whether the input ended or was cut
        dec.finish(&mut |m| w.message(m, &mut buf));
        res.frames += reader.frames();
        if write_err.is_none() {
            if let Err(e) = out.write_all(&buf) {
                write_err = Some(e);
            }
            buf.clear();
        }
        if write_err.is_some() {
            break;
        }
    }
    if let Some(e) = write_err.or_else(|| out.flush().err()) {
        res.code = res.code.max(output_error(&ctx.ui, &e));
    }
    ctx.progress.done();
    res
}

/// The worker that SIGTRAN and GTP signalling are dealt to ([`crate::shard`]).
const SIGNALLING_WORKER: usize = 0;
/// Places of the memo of G-PDU directions the signalling worker learnt from.
const GPDU_DIRECTIONS: usize = 4096;

/// A frame on its way to a worker (its bytes in the batch's `data`).
struct Meta {
    seq: u64,
    /// Dealt to this worker only to learn from (another worker reports it).
    learn: bool,
    frame: u64,
    ts_nanos: u64,
    linktype: u32,
    orig_len: u32,
    interface: u32,
    start: usize,
    end: usize,
}

/// Frames dealt to one worker: their bytes back to back in one buffer (one allocation per
/// batch, not per frame).
#[derive(Default)]
struct Batch {
    metas: Vec<Meta>,
    data: Vec<u8>,
}

impl Batch {
    fn push(&mut self, seq: u64, p: &Packet<'_>, learn: bool) {
        let start = self.data.len();
        self.data.extend_from_slice(p.data);
        self.metas.push(Meta {
            seq,
            learn,
            frame: p.frame,
            ts_nanos: p.ts_nanos,
            linktype: p.linktype,
            orig_len: p.orig_len,
            interface: p.interface,
            start,
            end: self.data.len(),
        });
    }
}

/// What the reading thread sends a worker.
enum Work {
    /// A new input begins (its label for output lines).
    Start(Option<Arc<str>>),
    /// Frames, and the sequence number every frame up to which has been dealt.
    Packets(Batch, u64),
    /// The input ended: report what reassembly still holds, under this sequence number.
    End(u64),
}

/// What a worker hands the merge: the lines of the frames it was dealt up to `upto`.
struct Done {
    worker: usize,
    upto: u64,
    buf: Vec<u8>,
    /// (sequence number, end offset in `buf`) per frame that wrote lines.
    marks: Vec<(u64, usize)>,
}

fn work(id: usize, w: &mut Worker, opts: Options, rx: Receiver<Work>, tx: SyncSender<Done>) {
    let mut dec = Decoder::new(opts);
    let done = |buf: Vec<u8>, marks, upto| {
        tx.send(Done {
            worker: id,
            upto,
            buf,
            marks,
        })
        .is_ok()
    };
    for job in rx {
        let mut buf = Vec::new();
        let mut marks = Vec::new();
        let upto = match job {
            Work::Start(label) => {
                w.set_file(label);
                dec = Decoder::new(opts);
                continue;
            }
            Work::Packets(batch, upto) => {
                for p in &batch.metas {
                    let pkt = Packet {
                        frame: p.frame,
                        ts_nanos: p.ts_nanos,
                        linktype: p.linktype,
                        data: batch.data.get(p.start..p.end).unwrap_or_default(),
                        orig_len: p.orig_len,
                        interface: p.interface,
                    };
                    let before = buf.len();
                    if p.learn {
                        dec.packet(&pkt, &mut |m| w.learn(m, &mut buf));
                    } else {
                        dec.packet(&pkt, &mut |m| w.message(m, &mut buf));
                    }
                    if buf.len() > before {
                        marks.push((p.seq, buf.len()));
                    }
                }
                upto
            }
            Work::End(seq) => {
                dec.finish(&mut |m| w.message(m, &mut buf));
                if !buf.is_empty() {
                    marks.push((seq, buf.len()));
                }
                seq
            }
        };
        if !done(buf, marks, upto) {
            return;
        }
    }
}

/// A worker's lines not yet written.
#[derive(Default)]
struct Queue {
    chunks: VecDeque<Done>,
    /// Next mark of the front chunk, and where its bytes start.
    pos: usize,
    off: usize,
}

impl Queue {
    fn front(&mut self) -> Option<u64> {
        loop {
            let c = self.chunks.front()?;
            if let Some((seq, _)) = c.marks.get(self.pos) {
                return Some(*seq);
            }
            self.chunks.pop_front();
            self.pos = 0;
            self.off = 0;
        }
    }

    fn write_front(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let Some(c) = self.chunks.front() else {
            return Ok(());
        };
        let Some((_, end)) = c.marks.get(self.pos) else {
            return Ok(());
        };
        let r = out.write_all(c.buf.get(self.off..*end).unwrap_or_default());
        self.off = *end;
        self.pos += 1;
        r
    }
}

/// Merge the workers' lines in sequence order (ties: worker order) into `out`.
fn merge(
    n: usize,
    rx: Receiver<Done>,
    out: &mut dyn Write,
    stop: &AtomicBool,
) -> Option<io::Error> {
    let mut queues: Vec<Queue> = (0..n).map(|_| Queue::default()).collect();
    let mut water = vec![0u64; n];
    let mut err: Option<io::Error> = None;
    let mut drain = |queues: &mut Vec<Queue>, low: u64, err: &mut Option<io::Error>| loop {
        let mut best: Option<(u64, usize)> = None;
        for (i, q) in queues.iter_mut().enumerate() {
            if let Some(s) = q.front() {
                if s <= low && best.map_or(true, |(b, _)| s < b) {
                    best = Some((s, i));
                }
            }
        }
        let Some((_, i)) = best else { break };
        if let Some(q) = queues.get_mut(i) {
            if err.is_none() {
                if let Err(e) = q.write_front(out) {
                    stop.store(true, Ordering::Relaxed);
                    *err = Some(e);
                }
            } else {
                // after an output error the lines are dropped (the run is stopping)
                q.chunks.clear();
            }
        }
    };
    for d in rx {
        if let Some(w) = water.get_mut(d.worker) {
            *w = d.upto;
        }
        if let Some(q) = queues.get_mut(d.worker) {
            q.chunks.push_back(d);
        }
        let low = water.iter().copied().min().unwrap_or(0);
        drain(&mut queues, low, &mut err);
    }
    drain(&mut queues, u64::MAX, &mut err);
    if err.is_none() {
        err = out.flush().err();
    }
    err
}

/// `workers.len()` threads, frames dealt by flow; the lines merged in frame order.
pub fn sharded(ctx: &Ctx<'_>, workers: &mut [Worker], out: &mut (dyn Write + Send)) -> Outcome {
    let n = workers.len().max(1);
    // detectors judge some signalling across flows: their workers learn from it too
    // the G-PDU directions the signalling worker has learnt from, direct-mapped
    let mut directions = vec![0u64; if n > 1 { GPDU_DIRECTIONS } else { 0 }];
    let learns = n > 1
        && workers
            .iter()
            .any(|w| matches!(w.task, Task::Detect { .. }));
    let mut res = Outcome::default();
    let stop = AtomicBool::new(false);
    let (done_tx, done_rx) = sync_channel::<Done>(n * QUEUE_BATCHES);
    let write_err = std::thread::scope(|s| {
        let stop = &stop;
        let merger = s.spawn(move || merge(n, done_rx, out, stop));
        let mut txs = Vec::with_capacity(n);
        for (id, w) in workers.iter_mut().enumerate() {
            let (tx, rx) = sync_channel::<Work>(QUEUE_BATCHES);
            let done = done_tx.clone();
            let opts = ctx.opts;
            s.spawn(move || work(id, w, opts, rx, done));
            txs.push(tx);
        }
        drop(done_tx);
        let mut seq = 0u64;
        let mut pending: Vec<Batch> = (0..n).map(|_| Batch::default()).collect();
        let flush = |pending: &mut Vec<Batch>, upto: u64| {
            for (tx, p) in txs.iter().zip(pending.iter_mut()) {
                // the next batch starts with the room the last one needed
                let next = Batch {
                    metas: Vec::with_capacity(p.metas.len()),
                    data: Vec::with_capacity(p.data.len()),
                };
                let _ = tx.send(Work::Packets(std::mem::replace(p, next), upto));
            }
        };
        let broadcast = |job: &dyn Fn() -> Work| {
            for tx in &txs {
                let _ = tx.send(job());
            }
        };
        'inputs: for input in ctx.inputs {
            let name = input.name();
            let mut reader = match input.open(ctx.progress.read.clone()) {
                Ok(r) => r,
                Err(e) => {
                    ctx.progress
                        .suspend(|| ctx.ui.error(&format!("{name}: {e}")));
                    res.code = res.code.max(2);
                    continue;
                }
            };
            let label = ctx.label(input);
            broadcast(&|| Work::Start(label.clone()));
            loop {
                match reader.next_packet() {
                    Ok(Some(p)) => {
                        seq += 1;
                        let d = deal(p.linktype, p.data);
                        let shard = (d.key % n as u64) as usize;
                        // the signalling worker learns from a direction's first G-PDU (as
                        // far as the memo of directions recalls) who carries sessions
                        let teach = learns
                            && shard != SIGNALLING_WORKER
                            && d.gpdu_direction.is_some_and(|g| {
                                let slot = directions.get_mut(g as usize % GPDU_DIRECTIONS);
                                slot.is_some_and(|s| std::mem::replace(s, g) != g)
                            });
                        for (i, q) in pending.iter_mut().enumerate() {
                            if i == shard {
                                q.push(seq, &p, false);
                            } else if (d.shared || (teach && i == SIGNALLING_WORKER)) && learns {
                                q.push(seq, &p, true);
                            }
                        }
                    }
                    Ok(None) => break,
                    Err(e) => {
                        let msg = format!("{name}: {e} ({} frames decoded)", reader.frames());
                        ctx.progress.suspend(|| ctx.ui.error(&msg));
                        res.code = res.code.max(1);
                        break;
                    }
                }
                if seq % DISPATCH_BATCH == 0 {
                    flush(&mut pending, seq);
                    ctx.progress.tick(&name);
                    if stop.load(Ordering::Relaxed) {
                        res.frames += reader.frames();
                        break 'inputs;
                    }
                }
            }
            flush(&mut pending, seq);
            seq += 1;
            broadcast(&|| Work::End(seq));
            res.frames += reader.frames();
        }
        drop(txs);
        merger.join().unwrap_or(None)
    });
    if let Some(e) = write_err {
        res.code = res.code.max(output_error(&ctx.ui, &e));
    }
    ctx.progress.done();
    res
}
