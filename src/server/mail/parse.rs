//! An incoming message, parsed (MIME, quoted-printable, base64; UTF-8, ISO-2022-JP,
//! Shift_JIS) into what the desk needs to decide about it.

use chrono::{DateTime, Utc};
use mail_parser::{HeaderValue, Message, MessageParser, MimeHeaders, PartType};

/// What the desk reads from one incoming message.
#[derive(Debug, Clone, Default)]
pub struct Incoming {
    /// `Message-ID`, without brackets.
    pub message_id: Option<String>,
    /// `In-Reply-To`, without brackets.
    pub in_reply_to: Vec<String>,
    /// `References`, oldest first, without brackets.
    pub references: Vec<String>,
    /// The sender's display name.
    pub from_name: Option<String>,
    /// The sender's address, lower-cased.
    pub from_address: Option<String>,
    /// `Return-Path` (an empty one, `<>`, marks a bounce).
    pub return_path: Option<String>,
    /// The decoded subject.
    pub subject: String,
    /// `Date:`.
    pub date: Option<DateTime<Utc>>,
    /// The text: the text/plain part, else the HTML part as text.
    pub text: String,
    /// Attached files.
    pub attachments: Vec<IncomingAttachment>,
    /// `Auto-Submitted` (anything but `no` means a machine sent it).
    pub auto_submitted: Option<String>,
    /// A delivery report or a message from a mailer daemon.
    pub is_bounce: bool,
    /// A mailing list's or bulk message (`List-Id`, `List-Unsubscribe`, `Precedence`).
    pub is_list: bool,
}

/// A file that came with a message.
#[derive(Debug, Clone)]
pub struct IncomingAttachment {
    /// The decoded file name.
    pub name: String,
    /// Its MIME type.
    pub content_type: String,
    /// The bytes.
    pub content: Vec<u8>,
}

/// Why a message could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// Not a mail message at all.
    #[error("not a mail message: {0}")]
    Unreadable(String),
}

/// Reads one raw message (as fetched from the mailbox) into what the desk decides on.
pub fn parse(raw: &[u8]) -> Result<Incoming, ParseError> {
    if raw.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ParseError::Unreadable("the message is empty".into()));
    }
    let message = MessageParser::default()
        .parse(raw)
        .ok_or_else(|| ParseError::Unreadable("no header lines found".into()))?;
    let from = message.from().and_then(|from| from.first());
    let from_address = from
        .and_then(|addr| addr.address())
        .map(|address| address.trim().to_lowercase())
        .filter(|address| address.contains('@'));
    let message_id = message.message_id().and_then(bare_id);
    if from_address.is_none() && message_id.is_none() {
        return Err(ParseError::Unreadable(
            "it has neither a From address nor a Message-ID".into(),
        ));
    }
    let return_path = return_path(&message);
    let incoming = Incoming {
        in_reply_to: ids(message.in_reply_to()),
        references: ids(message.references()),
        from_name: from
            .and_then(|addr| addr.name())
            .map(|name| name.trim().to_string())
            .filter(|name| !name.is_empty()),
        subject: message.subject().unwrap_or_default().trim().to_string(),
        date: message
            .date()
            .and_then(|date| DateTime::from_timestamp(date.to_timestamp(), 0)),
        text: body_text(&message),
        attachments: attachments(&message),
        auto_submitted: header_text(&message, "Auto-Submitted"),
        is_bounce: is_bounce(&message, from_address.as_deref(), return_path.as_deref()),
        is_list: is_list(&message),
        message_id,
        from_address,
        return_path,
    };
    Ok(incoming)
}

/// A message id without its angle brackets and spaces; `None` when nothing is left.
fn bare_id(id: &str) -> Option<String> {
    let id = id
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim();
    (!id.is_empty()).then(|| id.to_string())
}

/// The ids of `In-Reply-To` or `References`, in the order written.
fn ids(value: &HeaderValue) -> Vec<String> {
    match value {
        HeaderValue::Text(text) => bare_id(text).into_iter().collect(),
        HeaderValue::TextList(list) => list.iter().filter_map(|id| bare_id(id)).collect(),
        _ => Vec::new(),
    }
}

/// `Return-Path` as written, without brackets: `Some("")` for the null path `<>`.
fn return_path(message: &Message) -> Option<String> {
    let raw = message.header_raw("Return-Path")?;
    Some(
        raw.trim()
            .trim_start_matches('<')
            .trim_end_matches('>')
            .trim()
            .to_lowercase(),
    )
}

/// An unstructured header's text, trimmed; `None` when absent or empty.
fn header_text(message: &Message, name: &str) -> Option<String> {
    let raw = message.header_raw(name)?;
    let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

/// The text/plain body (the first one), else the HTML body as text; lines end in `\n`.
fn body_text(message: &Message) -> String {
    // mail-parser lists the HTML part among the text bodies when there is no plain one, and
    // body_text converts it; a plain alternative wins when both are there.
    let text = message
        .text_bodies()
        .position(|part| matches!(part.body, PartType::Text(_)))
        .and_then(|pos| message.body_text(pos))
        .or_else(|| message.body_text(0))
        .unwrap_or_default();
    text.replace("\r\n", "\n")
}

/// The attached files: every part mail-parser counts as an attachment, named from its
/// Content-Disposition filename or Content-Type name (RFC 2231 and 2047 decoded).
fn attachments(message: &Message) -> Vec<IncomingAttachment> {
    message
        .attachments()
        .enumerate()
        .map(|(index, part)| {
            let content_type = part
                .content_type()
                .map(|ct| match ct.subtype() {
                    Some(sub) => format!("{}/{}", ct.ctype(), sub),
                    None => ct.ctype().to_string(),
                })
                .unwrap_or_else(|| "application/octet-stream".into())
                .to_lowercase();
            let name = part
                .attachment_name()
                .map(str::trim)
                .filter(|name| !name.is_empty())
                .map(str::to_string)
                .unwrap_or_else(|| format!("attachment-{}", index + 1));
            IncomingAttachment {
                name,
                content_type,
                content: part.contents().to_vec(),
            }
        })
        .collect()
}

/// A delivery report (`multipart/report; report-type=delivery-status`), a mailer daemon's
/// mail, or one sent with the null return path `<>`.
fn is_bounce(message: &Message, from: Option<&str>, return_path: Option<&str>) -> bool {
    let report = message.content_type().is_some_and(|ct| {
        ct.ctype().eq_ignore_ascii_case("multipart")
            && ct
                .subtype()
                .is_some_and(|sub| sub.eq_ignore_ascii_case("report"))
            && ct
                .attribute("report-type")
                .is_some_and(|kind| kind.eq_ignore_ascii_case("delivery-status"))
    });
    let daemon = from
        .and_then(|address| address.split('@').next())
        .is_some_and(|local| local == "mailer-daemon" || local == "postmaster");
    report || daemon || return_path == Some("")
}

/// A mailing list's or bulk message: `List-Id`, `List-Unsubscribe`, or `Precedence` list, bulk
/// or junk.
fn is_list(message: &Message) -> bool {
    let listed =
        message.header_raw("List-Id").is_some() || message.header_raw("List-Unsubscribe").is_some();
    let bulk = header_text(message, "Precedence").is_some_and(|precedence| {
        matches!(
            precedence.to_ascii_lowercase().as_str(),
            "list" | "bulk" | "junk"
        )
    });
    listed || bulk
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;

    use super::*;

    /// A message from header lines and a body, with CRLF line ends as IMAP gives them.
    fn mail(headers: &[&str], body: &[u8]) -> Vec<u8> {
        let mut raw = Vec::new();
        for line in headers {
            raw.extend_from_slice(line.as_bytes());
            raw.extend_from_slice(b"\r\n");
        }
        raw.extend_from_slice(b"\r\n");
        raw.extend_from_slice(body);
        raw
    }

    fn parsed(raw: &[u8]) -> Incoming {
        match parse(raw) {
            Ok(incoming) => incoming,
            Err(error) => panic!("{error}"),
        }
    }

    fn jis(text: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = encoding_rs::ISO_2022_JP.encode(text);
        assert!(!unmappable);
        bytes.into_owned()
    }

    #[test]
    fn an_iso_2022_jp_reply_is_decoded_and_threaded() {
        let subject = format!(
            "=?ISO-2022-JP?B?{}?=",
            STANDARD.encode(jis("Re: [2026-1122-000123] 起動しません"))
        );
        let name = format!("=?ISO-2022-JP?B?{}?=", STANDARD.encode(jis("山田 太郎")));
        let body = jis("お世話になっております。\r\n再起動で直りました。\r\n");
        assert!(body.windows(3).any(|w| w == b"\x1b$B"), "the body is JIS");
        let raw = mail(
            &[
                "Return-Path: <Taro@Customer.Example>",
                &format!("From: {name} <Taro@Customer.Example>"),
                "To: support@example.test",
                &format!("Subject: {subject}"),
                "Date: Sun, 22 Nov 2026 10:15:00 +0900",
                "Message-ID: <reply-1@customer.example>",
                "In-Reply-To: <ack.2026-1122-000123@example.test>",
                "References: <ack.2026-1122-000123@example.test>\r\n <note.7@example.test>",
                "MIME-Version: 1.0",
                "Content-Type: text/plain; charset=ISO-2022-JP",
                "Content-Transfer-Encoding: 7bit",
            ],
            &body,
        );
        let incoming = parsed(&raw);
        assert_eq!(incoming.subject, "Re: [2026-1122-000123] 起動しません");
        assert_eq!(
            incoming.text,
            "お世話になっております。\n再起動で直りました。\n"
        );
        assert_eq!(incoming.from_name.as_deref(), Some("山田 太郎"));
        assert_eq!(
            incoming.from_address.as_deref(),
            Some("taro@customer.example")
        );
        assert_eq!(
            incoming.return_path.as_deref(),
            Some("taro@customer.example")
        );
        assert_eq!(
            incoming.message_id.as_deref(),
            Some("reply-1@customer.example")
        );
        assert_eq!(incoming.in_reply_to, ["ack.2026-1122-000123@example.test"]);
        assert_eq!(
            incoming.references,
            ["ack.2026-1122-000123@example.test", "note.7@example.test"]
        );
        assert_eq!(
            incoming.date.map(|d| d.to_rfc3339()).as_deref(),
            Some("2026-11-22T01:15:00+00:00")
        );
        assert!(!incoming.is_bounce && !incoming.is_list);
        assert_eq!(incoming.auto_submitted, None);
        assert!(incoming.attachments.is_empty());
    }

    #[test]
    fn a_shift_jis_body_is_decoded() {
        let (body, _, _) = encoding_rs::SHIFT_JIS.encode("ディスクを交換しました。\r\n");
        let (subject, _, _) = encoding_rs::SHIFT_JIS.encode("交換報告");
        let subject = format!("Subject: =?Shift_JIS?B?{}?=", STANDARD.encode(&subject));
        let raw = mail(
            &[
                "From: sato@customer.example",
                &subject,
                "Message-ID: <sjis@customer.example>",
                "Content-Type: text/plain; charset=Shift_JIS",
                "Content-Transfer-Encoding: 8bit",
            ],
            &body,
        );
        let incoming = parsed(&raw);
        assert_eq!(incoming.text, "ディスクを交換しました。\n");
        assert_eq!(incoming.subject, "交換報告");
        assert_eq!(incoming.from_name, None);
    }

    #[test]
    fn quoted_printable_is_decoded() {
        let raw = mail(
            &[
                "From: \"Ann Lee\" <ann@customer.example>",
                "Subject: qp",
                "Message-ID: <qp@customer.example>",
                "Content-Type: text/plain; charset=UTF-8",
                "Content-Transfer-Encoding: quoted-printable",
            ],
            b"caf=C3=A9 =E3=81=82 a soft=\r\nbreak\r\n",
        );
        let incoming = parsed(&raw);
        assert_eq!(incoming.text, "café あ a softbreak\n");
        assert_eq!(incoming.from_name.as_deref(), Some("Ann Lee"));
    }

    #[test]
    fn base64_is_decoded() {
        let body = STANDARD.encode("ログを添付します。\n".as_bytes());
        let raw = mail(
            &[
                "From: ann@customer.example",
                "Subject: =?UTF-8?B?44Ot44Kw?=",
                "Message-ID: <b64@customer.example>",
                "Content-Type: text/plain; charset=UTF-8",
                "Content-Transfer-Encoding: base64",
            ],
            body.as_bytes(),
        );
        let incoming = parsed(&raw);
        assert_eq!(incoming.text, "ログを添付します。\n");
        assert_eq!(incoming.subject, "ログ");
    }

    #[test]
    fn attachments_keep_their_japanese_names_type_and_bytes() {
        let pdf = b"%PDF-1.4 not really\x00\x01\x02";
        let csv = "品番,数量\n".as_bytes();
        let body = [
            "--b1\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n見積を送ります。\r\n".as_bytes().to_vec(),
            format!(
                "--b1\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment;\r\n filename*=UTF-8''%E8%A6%8B%E7%A9%8D%E6%9B%B8.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n",
                STANDARD.encode(pdf)
            )
            .into_bytes(),
            format!(
                "--b1\r\nContent-Type: text/csv; name=\"=?ISO-2022-JP?B?{}?=\"\r\nContent-Disposition: attachment\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n--b1--\r\n",
                STANDARD.encode(jis("部品表.csv")),
                STANDARD.encode(csv)
            )
            .into_bytes(),
        ]
        .concat();
        let raw = mail(
            &[
                "From: ann@customer.example",
                "Subject: parts",
                "Message-ID: <att@customer.example>",
                "MIME-Version: 1.0",
                "Content-Type: multipart/mixed; boundary=\"b1\"",
            ],
            &body,
        );
        let incoming = parsed(&raw);
        assert_eq!(incoming.text, "見積を送ります。");
        let files: Vec<_> = incoming
            .attachments
            .iter()
            .map(|a| {
                (
                    a.name.as_str(),
                    a.content_type.as_str(),
                    a.content.as_slice(),
                )
            })
            .collect();
        assert_eq!(
            files,
            [
                ("見積書.pdf", "application/pdf", &pdf[..]),
                ("部品表.csv", "text/csv", csv),
            ]
        );
    }

    #[test]
    fn html_only_mail_becomes_text() {
        let raw = mail(
            &[
                "From: ann@customer.example",
                "Subject: html",
                "Message-ID: <html@customer.example>",
                "Content-Type: text/html; charset=UTF-8",
            ],
            b"<html><body><p>The <b>array</b> is back.</p></body></html>\r\n",
        );
        let text = parsed(&raw).text;
        assert!(text.contains("The array is back."), "{text:?}");
        assert!(!text.contains('<'), "{text:?}");
    }

    #[test]
    fn plain_text_wins_over_its_html_alternative() {
        let raw = mail(
            &[
                "From: ann@customer.example",
                "Subject: alt",
                "Message-ID: <alt@customer.example>",
                "Content-Type: multipart/alternative; boundary=x",
            ],
            b"--x\r\nContent-Type: text/html\r\n\r\n<p>html words</p>\r\n--x\r\nContent-Type: text/plain\r\n\r\nplain words\r\n--x--\r\n",
        );
        assert_eq!(parsed(&raw).text, "plain words");
    }

    #[test]
    fn a_delivery_status_report_is_a_bounce() {
        let raw = mail(
            &[
                "Return-Path: <>",
                "From: Mail Delivery System <MAILER-DAEMON@mx.customer.example>",
                "Subject: Undelivered Mail Returned to Sender",
                "Message-ID: <dsn-1@mx.customer.example>",
                "Auto-Submitted: auto-replied",
                "Content-Type: multipart/report; report-type=delivery-status; boundary=r",
            ],
            b"--r\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n--r\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.customer.example\r\n\r\nFinal-Recipient: rfc822; gone@customer.example\r\nAction: failed\r\nStatus: 5.1.1\r\n--r--\r\n",
        );
        let incoming = parsed(&raw);
        assert!(incoming.is_bounce);
        assert_eq!(incoming.return_path.as_deref(), Some(""));
        assert_eq!(incoming.auto_submitted.as_deref(), Some("auto-replied"));
        assert_eq!(incoming.text, "The mail could not be delivered.");
    }

    #[test]
    fn each_sign_of_a_bounce_is_enough_alone() {
        let report = mail(
            &[
                "From: relay@customer.example",
                "Message-ID: <r@customer.example>",
                "Content-Type: multipart/report; report-type=delivery-status; boundary=r",
            ],
            b"--r\r\nContent-Type: text/plain\r\n\r\nx\r\n--r--\r\n",
        );
        let daemon = mail(
            &["From: postmaster@customer.example", "Message-ID: <p@c>"],
            b"x",
        );
        let null_path = mail(
            &[
                "Return-Path: <>",
                "From: a@customer.example",
                "Message-ID: <n@c>",
            ],
            b"x",
        );
        let person = mail(
            &[
                "Return-Path: <a@customer.example>",
                "From: a@customer.example",
                "Message-ID: <o@c>",
            ],
            b"x",
        );
        assert!(parsed(&report).is_bounce);
        assert!(parsed(&daemon).is_bounce);
        assert!(parsed(&null_path).is_bounce);
        assert!(!parsed(&person).is_bounce);
    }

    #[test]
    fn list_and_bulk_mail_is_marked() {
        let listed = mail(
            &[
                "From: news@vendor.example",
                "Message-ID: <l@vendor.example>",
                "List-Id: Vendor news <news.vendor.example>",
            ],
            b"x",
        );
        let unsubscribe = mail(
            &[
                "From: news@vendor.example",
                "Message-ID: <u@vendor.example>",
                "List-Unsubscribe: <mailto:leave@vendor.example>",
            ],
            b"x",
        );
        let bulk = mail(
            &[
                "From: news@vendor.example",
                "Message-ID: <b@vendor.example>",
                "Precedence: Bulk",
            ],
            b"x",
        );
        let first_class = mail(
            &[
                "From: a@vendor.example",
                "Message-ID: <f@vendor.example>",
                "Precedence: first-class",
            ],
            b"x",
        );
        assert!(parsed(&listed).is_list);
        assert!(parsed(&unsubscribe).is_list);
        assert!(parsed(&bulk).is_list);
        assert!(!parsed(&first_class).is_list);
    }

    #[test]
    fn bytes_that_are_no_mail_are_refused_with_why() {
        let why = |raw: &[u8]| match parse(raw) {
            Ok(incoming) => panic!("parsed {incoming:?}"),
            Err(ParseError::Unreadable(why)) => why,
        };
        assert_eq!(why(b""), "the message is empty");
        assert_eq!(why(b" \r\n\r\n"), "the message is empty");
        assert_eq!(
            why(b"\x00\x9f\x92\x96 binary junk\xff\xfe without any header\r\n"),
            "no header lines found"
        );
        assert_eq!(
            why(b"Subject: only a subject\r\n\r\nbody\r\n"),
            "it has neither a From address nor a Message-ID"
        );
    }

    #[test]
    fn a_message_id_alone_is_enough_to_record_it() {
        let raw = mail(&["Message-ID: <lonely@somewhere>", "Subject: hi"], b"text");
        let incoming = parsed(&raw);
        assert_eq!(incoming.message_id.as_deref(), Some("lonely@somewhere"));
        assert_eq!(incoming.from_address, None);
    }
}
