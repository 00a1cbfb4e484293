//! decode, stats, detect (and the demo run without arguments).

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use sigscope::capture::{CaptureError, Reader};
use sigscope::decode::Message;
use sigscope::record::{table, Decoder, Options};
use sigscope::rules::Policy;
use sigscope::stats::Stats;

use crate::inputs::{self, Input, DEMO};
use crate::run::{self, Ctx, Outcome};
use crate::ui::Ui;
use crate::worker::{alert_header, Task, Worker};
use crate::{options, DecodeArgs, DetectArgs, Format, GlobalArgs, StatsArgs, StatsFormat};

/// Exit status 3: `--fail-on-alert` and alerts were written.
const EXIT_ALERTS: u8 = 3;

/// The policy that goes with the demo capture (home network GB 234-15, GTs 4477009...).
const DEMO_POLICY: &str = include_str!("../../../testdata/demo-policy.toml");

/// The operator's policy, the demo policy for the demo capture, else the defaults.
pub fn load_policy(policy: &Option<PathBuf>, demo: bool) -> Result<Policy, String> {
    match policy {
        Some(p) => crate::rules_cmd::read_policy(p),
        None if demo => Policy::from_toml(DEMO_POLICY).map_err(|e| format!("demo policy: {e}")),
        None => Ok(Policy::default()),
    }
}

/// One capture (share, report): a file, `-`, or the demo capture.
pub fn open(file: &Option<PathBuf>) -> Result<Reader, CaptureError> {
    match file {
        Some(p) => Reader::open(p),
        None => Reader::new(Box::new(io::Cursor::new(DEMO))),
    }
}

/// Decode one reader, handing each message to `sink` (share, report). Returns the error that
/// ended the capture early, if any.
pub fn run_one(
    reader: &mut Reader,
    opts: Options,
    sink: &mut dyn FnMut(&Message<'_>) -> io::Result<()>,
) -> Result<Option<CaptureError>, io::Error> {
    let mut dec = Decoder::new(opts);
    let mut io_err: Option<io::Error> = None;
    let mut emit = |r: &Message<'_>| {
        if io_err.is_none() {
            if let Err(e) = sink(r) {
                io_err = Some(e);
            }
        }
    };
    let capture_err = loop {
        match reader.next_packet() {
            Ok(Some(pkt)) => dec.packet(&pkt, &mut emit),
            Ok(None) => break None,
            Err(e) => break Some(e),
        }
    };
    dec.finish(&mut emit);
    match io_err {
        Some(e) => Err(e),
        None => Ok(capture_err),
    }
}

/// The output: the file of `-o`, else stdout; and whether it is a terminal.
fn output(path: &Option<PathBuf>) -> Result<(Out, bool), String> {
    match path {
        Some(p) => {
            let f = File::create(p).map_err(|e| format!("{}: {e}", p.display()))?;
            Ok((Box::new(BufWriter::new(f)), false))
        }
        None => Ok((
            Box::new(BufWriter::new(io::stdout())),
            io::stdout().is_terminal(),
        )),
    }
}

/// The output of a command.
type Out = Box<dyn Write + Send>;

/// What every command sets up: inputs, output, ui; the exit code after a usage error
/// (reported).
fn setup(
    inputs: &[PathBuf],
    out: &Option<PathBuf>,
    g: GlobalArgs,
) -> Result<(Vec<Input>, Out, Ui), ExitCode> {
    let ui0 = Ui::new(g.color, g.quiet, false);
    let inputs = inputs::expand(inputs).map_err(|e| {
        ui0.error(&e);
        ExitCode::from(2)
    })?;
    let (w, tty) = output(out).map_err(|e| {
        ui0.error(&e);
        ExitCode::from(2)
    })?;
    Ok((inputs, w, Ui::new(g.color, g.quiet, tty)))
}

fn total_size(inputs: &[Input]) -> Option<u64> {
    inputs.iter().map(|i| i.size).sum()
}

fn walk(
    inputs: &[Input],
    opts: Options,
    ui: Ui,
    workers: &mut [Worker],
    out: &mut (dyn Write + Send),
) -> Outcome {
    let progress = ui.progress(total_size(inputs));
    let ctx = Ctx {
        inputs,
        opts,
        ui,
        progress: &progress,
    };
    match workers {
        [w] => run::single(&ctx, w, out),
        ws => run::sharded(&ctx, ws, out),
    }
}

pub fn decode(a: &DecodeArgs, g: GlobalArgs) -> ExitCode {
    let (inputs, mut out, ui) = match setup(&a.input.inputs, &a.output, g) {
        Ok(s) => s,
        Err(c) => return c,
    };
    if a.format == Format::Table {
        let _ = writeln!(out, "{}", ui.bold(&table::header()));
    }
    let mut workers: Vec<Worker> = (0..a.threads)
        .map(|_| Worker::new(Task::Decode(a.format), ui))
        .collect();
    let opts = options(a.input.mtp3, a.input.no_checksum);
    let res = walk(&inputs, opts, ui, &mut workers, &mut *out);
    ExitCode::from(res.code)
}

pub fn stats(a: &StatsArgs, g: GlobalArgs) -> ExitCode {
    let (inputs, mut out, ui) = match setup(&a.input.inputs, &a.output, g) {
        Ok(s) => s,
        Err(c) => return c,
    };
    let mut workers = [Worker::new(Task::Stats(Box::default()), ui)];
    let opts = options(a.input.mtp3, a.input.no_checksum);
    let mut res = walk(&inputs, opts, ui, &mut workers, &mut io::sink());
    let [w] = workers;
    let Task::Stats(st) = w.task else {
        return ExitCode::from(res.code);
    };
    if let Err(e) = write_stats(&mut *out, a.format, &ui, res.frames, &st) {
        if e.kind() != io::ErrorKind::BrokenPipe {
            ui.error(&format!("output: {e}"));
            res.code = res.code.max(1);
        }
    }
    ExitCode::from(res.code)
}

fn write_stats(
    out: &mut dyn Write,
    format: StatsFormat,
    ui: &Ui,
    frames: u64,
    st: &Stats,
) -> io::Result<()> {
    let lines = st.lines();
    match format {
        StatsFormat::Table => {
            writeln!(out, "{}\t{frames}", ui.bold("frames"))?;
            writeln!(out, "{}\t{}", ui.bold("records"), st.records)?;
            for (k, v) in &lines {
                writeln!(out, "{k}\t{v}")?;
            }
        }
        StatsFormat::Json => {
            let counts: serde_json::Map<String, serde_json::Value> =
                lines.into_iter().map(|(k, v)| (k, v.into())).collect();
            let v = serde_json::json!({"frames": frames, "records": st.records, "counts": counts});
            serde_json::to_writer(&mut *out, &v)?;
            writeln!(out)?;
        }
    }
    out.flush()
}

pub fn detect(a: &DetectArgs, g: GlobalArgs) -> ExitCode {
    let demo = a.decode.input.inputs.is_empty();
    let policy = match load_policy(&a.policy, demo) {
        Ok(p) => p,
        Err(e) => {
            Ui::new(g.color, g.quiet, false).error(&e);
            return ExitCode::from(2);
        }
    };
    let (inputs, mut out, ui) = match setup(&a.decode.input.inputs, &a.decode.output, g) {
        Ok(s) => s,
        Err(c) => return c,
    };
    let format = a.decode.format;
    if format == Format::Table {
        let _ = writeln!(out, "{}", alert_header(&ui));
    }
    // the operator rules load (all or none) before any capture is read
    let mut workers: Vec<Worker> = Vec::new();
    for _ in 0..a.decode.threads {
        let engine = match crate::rules_cmd::engine(policy.clone(), a.policy.as_deref(), &a.user) {
            Ok(e) => e,
            Err(e) => {
                ui.error(&e);
                return ExitCode::from(2);
            }
        };
        workers.push(Worker::new(
            Task::Detect {
                format,
                max_severity: a.min_severity,
                engine: Box::new(engine),
            },
            ui,
        ));
    }
    let opts = options(a.decode.input.mtp3, a.decode.input.no_checksum);
    let res = walk(&inputs, opts, ui, &mut workers, &mut *out);
    let (mut records, mut alerts, mut suppressed, mut tagged) = (0, 0, 0, 0);
    let (mut written, mut written_tagged) = (0, 0);
    let mut per_signature: BTreeMap<u32, u64> = BTreeMap::new();
    for w in &workers {
        written += w.alerts;
        written_tagged += w.tagged;
        if let Task::Detect { engine, .. } = &w.task {
            let st = engine.stats();
            records += st.records;
            alerts += st.alerts;
            suppressed += st.suppressed;
            tagged += st.tagged;
            for (id, n) in &st.per_signature {
                *per_signature.entry(*id).or_default() += n;
            }
        }
    }
    ui.summary(&format!(
        "{records} records, {alerts} alerts ({suppressed} held back by the rate limit), {tagged} more messages of flagged flows"
    ));
    if a.min_severity < 3 {
        ui.summary(&format!(
            "{written} alerts and {written_tagged} flow members of severity {} or higher written",
            a.min_severity
        ));
    }
    for (id, n) in &per_signature {
        let name = workers.iter().find_map(|w| match &w.task {
            Task::Detect { engine, .. } => crate::rules_cmd::signature_name(engine, *id),
            _ => None,
        });
        if let Some(name) = name {
            ui.detail(&format!("{id} {name:<34} {n}"));
        }
    }
    if res.code == 0 && a.fail_on_alert && written > 0 {
        return ExitCode::from(EXIT_ALERTS);
    }
    ExitCode::from(res.code)
}

/// No arguments: the demo capture as a table, then its alerts.
pub fn demo(g: GlobalArgs) -> ExitCode {
    let decode_args = DecodeArgs {
        input: crate::InputArgs {
            inputs: Vec::new(),
            mtp3: crate::Variant::Itu,
            no_checksum: false,
        },
        format: Format::Table,
        output: None,
        threads: 1,
    };
    let code = decode(&decode_args, g);
    if code != ExitCode::SUCCESS {
        return code;
    }
    println!();
    detect(
        &DetectArgs {
            decode: decode_args,
            policy: None,
            min_severity: 3,
            fail_on_alert: false,
            user: crate::rules_cmd::RuleArgs::default(),
        },
        g,
    )
}
