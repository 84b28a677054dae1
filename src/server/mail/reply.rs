//! A customer's reply without the quoted history and the signature (the original is kept).
