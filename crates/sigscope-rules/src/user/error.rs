//! Errors of rule files: where (file, line, column, 1-based) and why.

use core::fmt;

/// Most errors reported for one load (the rest are counted, not listed).
pub const MAX_ERRORS: usize = 100;

/// One error in a rule file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    /// The file (or the name given to a text).
    pub file: String,
    /// Line, 1-based.
    pub line: u32,
    /// Column (character), 1-based.
    pub col: u32,
    /// What is wrong.
    pub reason: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.col, self.reason
        )
    }
}

impl std::error::Error for RuleError {}

/// Every error of a load (nothing of it was loaded).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RuleErrors {
    /// The errors, in file order (at most [`MAX_ERRORS`]).
    pub errors: Vec<RuleError>,
    /// Errors found past [`MAX_ERRORS`].
    pub more: usize,
}

impl RuleErrors {
    /// Add one (counted only once the list is full).
    pub fn push(&mut self, e: RuleError) {
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(e);
        } else {
            self.more += 1;
        }
    }

    /// Nothing was wrong.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty() && self.more == 0
    }

    /// How many errors there were.
    pub fn count(&self) -> usize {
        self.errors.len() + self.more
    }
}

impl fmt::Display for RuleErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        if self.more > 0 {
            write!(f, "\n... and {} more", self.more)?;
        }
        Ok(())
    }
}

impl std::error::Error for RuleErrors {}

/// A position inside one rule's source: line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    /// Line, 1-based.
    pub line: u32,
    /// Column, 1-based.
    pub col: u32,
}

/// An error at a position, before the file name is attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct At {
    /// Where.
    pub pos: Pos,
    /// Why.
    pub reason: String,
}

impl At {
    /// An error at `pos`.
    pub fn new(pos: Pos, reason: impl Into<String>) -> At {
        At {
            pos,
            reason: reason.into(),
        }
    }

    /// With the file name.
    pub fn in_file(self, file: &str) -> RuleError {
        RuleError {
            file: file.to_string(),
            line: self.pos.line,
            col: self.pos.col,
            reason: self.reason,
        }
    }
}
