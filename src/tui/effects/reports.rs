//! The reports screen's four reports, fetched together through the desk (revalidated with
//! their ETags; the cache's copy when the server cannot be reached).

use super::Context;
use crate::api::reports::{BacklogReport, LoadReport, ReportKind, ResponseReport, SlaReport};
use crate::tui::app::Msg;
use crate::tui::reports::{Reports, ReportsRequest};

/// Fetches the SLA, response, backlog and load reports of `request` at once and answers with
/// all four, or with the first reason one could not be had.
pub(super) fn fetch(cx: Context, request: ReportsRequest) {
    tokio::spawn(async move {
        let desk = &cx.desk;
        let (sla, response, backlog, load) = tokio::join!(
            desk.report::<SlaReport>(ReportKind::Sla, &request.sla),
            desk.report::<ResponseReport>(ReportKind::Response, &request.rest),
            desk.report::<BacklogReport>(ReportKind::Backlog, &request.rest),
            desk.report::<LoadReport>(ReportKind::Load, &request.rest),
        );
        let result = sla.and_then(|sla| {
            let (response, backlog, load) = (response?, backlog?, load?);
            // The oldest copy is the one the screen's "as fetched at" must name.
            let cached_at = [
                sla.cached_at,
                response.cached_at,
                backlog.cached_at,
                load.cached_at,
            ]
            .into_iter()
            .flatten()
            .min();
            Ok(Box::new(Reports {
                sla: sla.report,
                response: response.report,
                backlog: backlog.report,
                load: load.report,
                cached_at,
            }))
        });
        cx.send(Msg::Reports(request, result));
    });
}
