//! Notes that any case may hold, in both languages.

use crate::domain::{CloseReason, EscalationKind};

use super::people::{Lang, Pool};

/// First response by support.
pub(super) const ACK: Pool = Pool {
    ja: &[
        "{contact} 様\n\nお問い合わせいただきありがとうございます。サポートエンジニアの{engineer}です。本件を担当いたします。\nいただいた情報を確認しておりますので、追ってご連絡いたします。",
        "{contact} 様\n\nケースを受け付けました。{product}（{version}）の状況について調査を開始しました。影響範囲が {site} のみか、他拠点にも及んでいるかをご教示いただけますでしょうか。",
        "お世話になっております。{engineer}です。\nいただいた内容を拝見しました。まずは現象の切り分けのため、発生時刻と直前の変更作業の有無をご確認ください。",
    ],
    en: &[
        "Hello {contact},\n\nThank you for contacting support. My name is {engineer} and I have taken ownership of this case. I'm reviewing the details you provided and will update you shortly.",
        "Hi {contact},\n\nI'm looking into this now. Could you confirm whether the issue affects only {site} or other sites as well, and whether anything changed before it started?",
        "Hello {contact}, thanks for the detailed report. I've started the analysis of {platform} running {version} and will get back to you with next steps.",
    ],
};

/// Support asks the network customer for data (the case then waits on the customer).
pub(super) const ASK_NETWORK: Pool = Pool {
    ja: &[
        "{contact} 様\n\n調査のため、以下の情報をご提供いただけますでしょうか。\n・show tech-support の出力\n・問題の発生時刻（日本時間）\n・直前に実施した設定変更の有無\nお手数ですが、ご確認のほどよろしくお願いいたします。",
        "お手数ですが、{iface} のインターフェースカウンタ（show interfaces {iface} を60秒間隔で2回）と、show logging の出力を取得のうえ添付してください。取得後にご連絡いただければ解析を進めます。",
    ],
    en: &[
        "Hi {contact},\n\nTo move forward we need the following:\n- show tech-support from {serial}\n- the time the issue started (with time zone)\n- any configuration change made before it started\nPlease attach them to this case.",
        "Could you please collect 'show interfaces {iface}' twice, 60 seconds apart, plus 'show logging', and attach them here? That will tell us whether the interface is taking errors.",
    ],
};

/// Support asks the backup customer for data (the case then waits on the customer).
pub(super) const ASK_BACKUP: Pool = Pool {
    ja: &[
        "{contact} 様\n\n調査のため、{server} の {product} ログ（インストールフォルダーの Logs 配下）と、Windows のイベントログ（アプリケーション／システム）をエクスポートしてご送付ください。",
        "お手数ですが、以下の点をご確認ください。\n1. 障害は以前にも発生したことがありますか\n2. 発生直前にハードウェアまたはソフトウェアの変更を行いましたか\n3. 再現手順はありますか\nあわせて vssadmin list writers の結果もお送りください。",
    ],
    en: &[
        "Hello {contact},\n\nPlease send us the {product} logs from {server} (the Logs folder under the installation directory) and an export of the Windows Application and System event logs covering the last failure.",
        "To narrow this down, could you answer the following?\n1. Has this happened before, or is this the first time?\n2. Was any hardware or software changed before it started?\n3. Can you reproduce it, and how?\nPlease also attach the output of 'vssadmin list writers'.",
    ],
};

/// The customer answers.
pub(super) const REPLY: Pool = Pool {
    ja: &[
        "ログを取得しましたので添付します。ご確認をお願いします。",
        "ご連絡ありがとうございます。ご依頼の情報を添付いたしました。発生は昨夜 {time} 頃です。直前に変更作業は実施しておりません。",
        "{engineer} 様\n\nお世話になっております。ご指示の手順を実施しましたが状況は変わりません。取得した出力を添付します。",
    ],
    en: &[
        "Logs attached. Let me know if you need anything else.",
        "Thanks. The requested output is attached. It started around {time} local time and nobody changed anything beforehand as far as we know.",
        "Hi {engineer}, we tried the steps you suggested but the behaviour is the same. Output attached.",
    ],
};

/// Support asks for the facts behind a non-technical request.
pub(super) const ASK_ADMIN: Pool = Pool {
    ja: &[
        "{contact} 様\n\n確認のため、ご購入時の注文番号と販売店名をお知らせいただけますでしょうか。",
        "お手数ですが、ご登録の会社名と、ご担当者様のお名前・メールアドレスをご確認のうえお知らせください。",
    ],
    en: &[
        "Hello {contact},\n\nTo check this, could you send us the purchase order number and the name of the reseller?",
        "Could you please confirm the registered company name and the contact's name and e-mail address?",
    ],
};

/// Support asks what a feature request is for.
pub(super) const ASK_FEATURE: Pool = Pool {
    ja: &[
        "ご要望の背景と、想定されている利用方法をもう少し詳しくお聞かせいただけますでしょうか。製品管理部門への説明に使わせていただきます。",
    ],
    en: &[
        "Could you tell us a bit more about the use case behind this request? It helps product management weigh it.",
    ],
};

/// The customer sends the facts.
pub(super) const REPLY_ADMIN: Pool = Pool {
    ja: &[
        "ご依頼の情報を添付しました。ご確認をお願いします。",
        "注文番号と販売店名を記載した注文書を添付します。",
    ],
    en: &[
        "The requested details are attached.",
        "Attached is the order confirmation with the reseller's name.",
    ],
};

/// The customer explains their use case.
pub(super) const REPLY_FEATURE: Pool = Pool {
    ja: &[
        "夜間のジョブの状況を担当者が外出先でも確認できるようにしたい、というのが背景です。現在は毎朝手作業で確認しています。",
    ],
    en: &[
        "Our on-call staff want to see overnight results on their phones; today someone checks every morning by hand.",
    ],
};

/// The customer asks where things stand.
pub(super) const CHASER: Pool = Pool {
    ja: &[
        "進捗はいかがでしょうか。業務への影響が続いているため、早めのご回答をお願いいたします。",
        "{site} の利用部門から問い合わせが来ています。見通しだけでも教えていただけますか。",
    ],
    en: &[
        "Any update on this? It is still affecting {site}.",
        "Just checking in - do you have an ETA?",
    ],
};

/// Support's own notes.
pub(super) const INTERNAL: Pool = Pool {
    ja: &[
        "ナレッジベースを確認。既知の不具合 {pr} と症状が類似している。{version} が該当バージョン。",
        "ログ解析メモ: {code} が繰り返し出力されている。発生間隔は約15分。",
        "ラボ環境（同一構成・{version}）で再現を試行中。",
        "契約確認済み: {serial} は {site} に登録されている。",
    ],
    en: &[
        "Checked the KB: symptoms match known defect {pr}, which affects {version}.",
        "Log review: {code} repeats roughly every 15 minutes. Nothing obvious before the first occurrence.",
        "Trying to reproduce in the lab on the same platform and release ({version}).",
        "Entitlement checked: {serial} is registered to {site}.",
    ],
};

/// Customer care's own notes.
pub(super) const INTERNAL_ADMIN: Pool = Pool {
    ja: &[
        "契約管理システムで {account} の登録情報を確認。",
        "販売店に注文情報を照会中。",
    ],
    en: &[
        "Checked {account} in the contract system.",
        "Asked the reseller for the order details.",
    ],
};

/// Notes on a feature request.
pub(super) const INTERNAL_FEATURE: Pool = Pool {
    ja: &["類似の要望が他社からも複数あり。製品管理部門の要望リストに追記予定。"],
    en: &["Several customers asked for much the same; adding this to product management's list."],
};

/// A logged phone call with the customer.
pub(super) const CALLS: Pool = Pool {
    ja: &[
        "{contact} 様と電話で状況を確認。影響は {site} の一部ユーザーに限定されている。次回のアップデートは本日中に行うことで合意。",
        "お客様へ架電し、暫定対応の手順を口頭で説明。作業はお客様側で本日夜間のメンテナンス時間に実施予定。",
    ],
    en: &[
        "Called {contact}. Impact is limited to some users at {site}. Agreed to send the next update today.",
        "Phone call with {contact}: walked through the workaround; they will apply it tonight in the maintenance window.",
    ],
};

/// An attempt to reach the customer that failed.
pub(super) const CONTACT_FAILED: Pool = Pool {
    ja: &[
        "{phone} に架電したが応答なし。留守番電話にメッセージを残した。",
        "再度 {phone} に架電したが不在。メールでも折り返しの連絡を依頼した。",
        "代表番号経由で {contact} 様の呼び出しを依頼したが、つながらず。",
    ],
    en: &[
        "Called {phone}, no answer. Left a voicemail.",
        "Tried {phone} again, no answer; e-mailed {contact} asking for a call back.",
        "Asked the switchboard to page {contact}; could not reach them.",
    ],
};

/// Why a P1 is temporarily downgraded (recorded with the change).
pub(super) const TEMP_DOWNGRADE: Pool = Pool {
    ja: &["1時間以上お客様と連絡が取れないため、一時的に P2 へ変更（連絡がつき次第 P1 に戻す）。"],
    en: &[
        "Customer unreachable for over an hour; temporarily downgrading to P2 until contact is re-established.",
    ],
};

/// Tells the unreachable customer about the downgrade.
pub(super) const DOWNGRADE_NOTICE: Pool = Pool {
    ja: &[
        "{contact} 様\n\n{phone} へ複数回お電話しましたが、つながりませんでした。ご連絡が取れるまでの間、本ケースの優先度を一時的に P2 としています。お手すきの際に折り返しお電話をお願いいたします。連絡が取れ次第、P1 に戻して対応を継続します。",
    ],
    en: &[
        "Hello {contact},\n\nWe tried to reach you on {phone} several times without success. Until we can talk, this case is temporarily at P2. Please call us back; we'll restore P1 as soon as we are in contact.",
    ],
};

/// Why support lowers the priority after talking to the customer.
pub(super) const PRIORITY_DOWN: Pool = Pool {
    ja: &[
        "お客様と電話で確認した結果、冗長系で業務は継続できているため優先度を下げる。新しい応答目標時間はお客様へ連絡済み。",
    ],
    en: &[
        "After talking to the customer: traffic is on the redundant path and business continues, so lowering the priority. Customer informed of the new expected response time.",
    ],
};

/// Why support raises the priority.
pub(super) const PRIORITY_UP: Pool = Pool {
    ja: &["影響範囲が {site} 全体に拡大したため優先度を上げる。"],
    en: &["Impact has spread to all of {site}; raising the priority."],
};

/// Support files a problem report (the reason on the status change).
pub(super) const PR_REASON: Pool = Pool {
    ja: &["問題報告 {pr} を起票"],
    en: &["Filed {pr} with engineering"],
};

/// Support tells the customer about the problem report.
pub(super) const PR_FILED: Pool = Pool {
    ja: &[
        "{contact} 様\n\n本件は製品の不具合と判断し、開発部門に問題報告 {pr} として登録しました。修正の見通しが分かり次第ご連絡いたします。",
    ],
    en: &[
        "Hello {contact},\n\nWe've confirmed this is a product defect and filed problem report {pr} with engineering. I'll update you as soon as there is a fix estimate.",
    ],
};

/// Engineering delivered the fix.
pub(super) const PR_FIXED: Pool = Pool {
    ja: &[
        "問題報告 {pr} の修正が {fixed} に含まれることを開発部門より確認しました。アップグレード後の状況をお知らせください。",
    ],
    en: &[
        "Engineering confirmed the fix for {pr} is in {fixed}. Please upgrade and let us know the result.",
    ],
};

/// The customer confirms the solution.
pub(super) const CONFIRM: Pool = Pool {
    ja: &[
        "対応いただいた結果、事象は解消しました。クローズして問題ありません。ありがとうございました。",
        "一週間様子を見ましたが再発していません。クローズをお願いします。",
    ],
    en: &[
        "Confirmed working now. Please go ahead and close the case. Thanks for your help.",
        "No recurrence in a week. OK to close.",
    ],
};

/// The customer says the solution did not help.
pub(super) const REOPEN: Pool = Pool {
    ja: &["残念ながら昨夜 {time} 頃に再発しました。引き続き調査をお願いします。"],
    en: &["Unfortunately it happened again last night around {time}. Please keep investigating."],
};

/// Why support reopens the case.
pub(super) const REOPEN_REASON: Pool = Pool {
    ja: &["お客様より再発の報告があったため再オープン"],
    en: &["Customer reports a recurrence"],
};

/// The customer no longer needs help.
pub(super) const NO_LONGER_NEEDED: Pool = Pool {
    ja: &[
        "該当機器は来週撤去することになったため、本件は対応不要となりました。ありがとうございました。",
    ],
    en: &[
        "We are decommissioning this system next week, so we no longer need help with this. Thanks.",
    ],
};

/// Support reminds a silent customer.
pub(super) const REMINDER: Pool = Pool {
    ja: &[
        "{contact} 様\n\n先日ご依頼した情報について、ご確認状況はいかがでしょうか。2週間ご返信がない場合、本ケースはクローズさせていただきます（クローズ後も再開できます）。",
    ],
    en: &[
        "Hello {contact}, just following up on the information requested earlier. If we don't hear back within two weeks the case will be closed; you can reopen it at any time.",
    ],
};

/// Why the server's job closes a silent case.
pub(super) const AUTO_CLOSE: Pool = Pool {
    ja: &["繰り返しご連絡しましたが、2週間ご返信がないためクローズ"],
    en: &["No reply for two weeks after repeated contact"],
};

/// A lead gives a case to an engineer.
pub(super) const ASSIGN: Pool = Pool {
    ja: &["担当エンジニアをアサイン"],
    en: &["Assigning to the engineer on shift"],
};

/// Support issued an RMA.
pub(super) const RMA_ISSUED: Pool = Pool {
    ja: &[
        "{contact} 様\n\n診断の結果、{psu} のハードウェア故障と判断しました。RMA {rma} を発行し、交換部品 {part} を手配しました。故障品は、RMA 発行から10営業日以内にご返送ください（期限を過ぎると定価で請求される場合があります）。",
    ],
    en: &[
        "Hello {contact},\n\nDiagnostics confirm a hardware failure of {psu}. RMA {rma} is issued for replacement part {part}. Please return the defective unit within 10 business days of the RMA being issued; units not returned may be billed at list price.",
    ],
};

/// Support asked for an RMA that is not issued yet.
pub(super) const RMA_REQUESTED: Pool = Pool {
    ja: &["RMA {rma} を申請。部品 {part} の在庫確認中のため発行待ち。"],
    en: &["RMA {rma} requested for {part}; waiting for stock confirmation before issuing."],
};

/// The replacement is on its way.
pub(super) const RMA_SHIPPED: Pool = Pool {
    ja: &["RMA {rma} の交換部品を発送しました。配送業者の追跡番号は {tracking} です。"],
    en: &["The replacement for RMA {rma} has shipped; tracking number {tracking}."],
};

/// The defective unit came back.
pub(super) const RMA_RECEIVED: Pool = Pool {
    ja: &["RMA {rma} の故障品を受領。故障解析へ回付。"],
    en: &["Defective unit for RMA {rma} received at the depot; sent for analysis."],
};

/// The RMA was not needed after all.
pub(super) const RMA_CANCELLED: Pool = Pool {
    ja: &[
        "電源ユニットの再装着後にアラームが解消し、冗長性が回復したとのことですので、RMA {rma} はキャンセルしました。",
    ],
    en: &[
        "Since the supply recovered after reseating and redundancy is back, RMA {rma} has been cancelled.",
    ],
};

/// Customer care answers with the RMA status.
pub(super) const RMA_STATUS_NOTE: Pool = Pool {
    ja: &[
        "RMA {rma} の現在の状況をご案内します。交換部品は本日出荷予定で、追跡番号は {tracking} です。",
    ],
    en: &[
        "Status of RMA {rma}: the replacement leaves the depot today, tracking number {tracking}.",
    ],
};

/// Why an escalation is requested, by kind.
pub(super) fn escalation_reasons(kind: EscalationKind) -> &'static Pool {
    match kind {
        EscalationKind::FasterProgress => &Pool {
            ja: &[
                "障害発生から{days}日経過していますが解決の見通しが立ちません。{site} の業務に影響が出ており、対応の加速をお願いします。",
            ],
            en: &[
                "The case has been open for {days} days without a clear path to resolution and {site} is still affected. Please speed this up.",
            ],
        },
        EscalationKind::EngineerNow => &Pool {
            ja: &["至急エンジニアから直接連絡がほしい。現地で作業員が待機しています。"],
            en: &[
                "We need an engineer to contact us right away; our field team is on site waiting.",
            ],
        },
        EscalationKind::Reassignment => &Pool {
            ja: &[
                "担当者と時差があり連絡が取りづらいため、日本時間に対応できるエンジニアへの変更を希望します。",
            ],
            en: &[
                "The current engineer is in a different time zone; please reassign to someone who covers US business hours.",
            ],
        },
        EscalationKind::FasterRma => &Pool {
            ja: &["交換部品の配送状況を至急確認したい。冗長性がない状態が続いています。"],
            en: &["We need the replacement part urgently; the chassis has no power redundancy."],
        },
    }
}

/// What the lead did, by kind.
pub(super) fn escalation_resolutions(kind: EscalationKind) -> &'static Pool {
    match kind {
        EscalationKind::FasterProgress => &Pool {
            ja: &[
                "エスカレーションマネージャーをアサインし、優先度を見直した。開発部門へ優先対応を依頼済み。",
            ],
            en: &[
                "Escalation manager assigned, priority reviewed, engineering asked to prioritise.",
            ],
        },
        EscalationKind::EngineerNow => &Pool {
            ja: &["担当エンジニアよりお客様へ連絡済み。"],
            en: &["The engineer contacted the customer."],
        },
        EscalationKind::Reassignment => &Pool {
            ja: &["担当者を変更した。"],
            en: &["Case reassigned."],
        },
        EscalationKind::FasterRma => &Pool {
            ja: &["RMA の配送状況（追跡番号）をお客様へ回答済み。"],
            en: &["RMA shipping status and tracking sent to the customer."],
        },
    }
}

/// Why a lead declines an escalation.
pub(super) const DECLINE: Pool = Pool {
    ja: &[
        "既に回避策が適用され業務影響が解消しているため、エスカレーションは不要と判断。お客様へ説明済み。",
        "交換部品は既に出荷済みで、翌日配達の予定。追跡番号をお客様へ案内済み。",
    ],
    en: &[
        "The workaround is in place and the business impact is gone; no escalation needed. Explained to the customer.",
        "The replacement has already shipped for next-day delivery; tracking sent to the customer.",
    ],
};

/// A lead's note while handling a faster-progress escalation.
pub(super) const MANAGER_NOTE: Pool = Pool {
    ja: &[
        "エスカレーション対応: 開発部門と調整し、解析リソースを追加。1日2回の進捗報告をお客様と合意。",
    ],
    en: &[
        "Escalation: lined up extra engineering time; agreed twice-daily updates with the customer.",
    ],
};

/// Appended to short descriptions: the facts the seeds ask for.
pub(super) const ENVIRONMENT: Pool = Pool {
    ja: &[
        "\n\n【環境情報】\n製品: {product}\nプラットフォーム: {platform}\nバージョン: {version}\nシリアル番号: {serial}\nサイト: {site}（{site_id}）",
    ],
    en: &[
        "\n\nEnvironment\nProduct: {product}\nPlatform: {platform}\nVersion: {version}\nSerial: {serial}\nSite: {site} ({site_id})",
    ],
};

/// Why the case is closed (recorded with the change).
pub(super) fn close_note(reason: CloseReason, lang: Lang) -> &'static str {
    let (ja, en) = match reason {
        CloseReason::ConfirmedResolved => (
            "お客様より解決の確認あり",
            "Customer confirmed the solution",
        ),
        CloseReason::NoCustomerResponse => ("2週間ご返信なし", "No reply for two weeks"),
        CloseReason::NoLongerNeeded => (
            "お客様より対応不要との連絡あり",
            "Customer no longer needs help",
        ),
        CloseReason::NotOurSoftware => (
            "他社製ソフトウェアに起因することでお客様と合意",
            "Agreed with the customer the cause is third-party software",
        ),
        CloseReason::FixedInRelease => ("修正リリースで解決", "Fixed in a released version"),
        CloseReason::WorksAsDesigned => (
            "仕様どおりの動作であることを説明",
            "Explained this is working as designed",
        ),
        CloseReason::FeatureRequestAccepted => {
            ("機能強化要望として登録", "Logged as an enhancement request")
        }
        CloseReason::WorkaroundAccepted => (
            "回避策で業務影響が解消",
            "Workaround removed the business impact",
        ),
    };
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}
