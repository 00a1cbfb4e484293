//! Open enumerations: a newtype over an integer with named constants.
//!
//! Unknown code points are values, never errors: `Display` prints the name when the value is
//! assigned and the bare number otherwise.

/// Declare an open enumeration.
///
/// ```
/// sigscope_core::open_enum! {
///     /// SCTP chunk types.
///     pub struct ChunkType(u8) {
///         DATA = 0 => "DATA",
///         INIT = 1 => "INIT",
///     }
/// }
/// assert_eq!(ChunkType::DATA.to_string(), "DATA");
/// assert_eq!(ChunkType(77).to_string(), "77");
/// assert_eq!(ChunkType(1).name(), Some("INIT"));
/// ```
#[macro_export]
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident($int:ty) {
            $( $(#[$cmeta:meta])* $cname:ident = $cval:expr => $cstr:expr ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        $vis struct $name(pub $int);

        #[allow(missing_docs)]
        impl $name {
            $( $(#[$cmeta])* pub const $cname: $name = $name($cval); )*

            /// Every named value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name($cval)),*];

            /// The assigned name, or `None` for an unassigned code point.
            pub const fn name(self) -> Option<&'static str> {
                match self.0 {
                    $( v if v == $cval => Some($cstr), )*
                    _ => None,
                }
            }

            /// True when the code point has a name.
            pub const fn is_known(self) -> bool {
                self.name().is_some()
            }

            /// The raw code point.
            pub const fn value(self) -> $int {
                self.0
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                match self.name() {
                    Some(n) => f.write_str(n),
                    None => ::core::write!(f, "{}", self.0),
                }
            }
        }

        impl ::core::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                match self.name() {
                    Some(n) => ::core::write!(f, "{}({})", n, self.0),
                    None => ::core::write!(f, "{}({})", ::core::stringify!($name), self.0),
                }
            }
        }

        impl ::core::convert::From<$int> for $name {
            fn from(v: $int) -> Self {
                $name(v)
            }
        }

        impl ::core::convert::From<$name> for $int {
            fn from(v: $name) -> $int {
                v.0
            }
        }
    };
}

#[cfg(test)]
mod tests {
    open_enum! {
        /// test
        pub struct T(u16) { A = 1 => "a", B = 0x100 => "b" }
    }

    #[test]
    fn names_and_numbers() {
        assert_eq!(T::A.to_string(), "a");
        assert_eq!(T(0x100).name(), Some("b"));
        assert_eq!(T(7).to_string(), "7");
        assert!(!T(7).is_known());
        assert_eq!(format!("{:?}", T(7)), "T(7)");
        assert_eq!(format!("{:?}", T::A), "a(1)");
        assert_eq!(T::ALL.len(), 2);
    }
}
