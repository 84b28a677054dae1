//! Scenarios: what the cases are about, in the spirit of the two seed guides.
//!
//! Templates fill `{name}` placeholders from the case (see `Ctx::get`); `{rma}` is filled when
//! the step is written, once the RMA has its number.

use crate::domain::{Priority, RequestType, Vendor};

use super::people::Pool;

/// How often a scenario's case names a serial number.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum SerialUse {
    Always,
    Often,
    Rarely,
}

/// A kind of case and the words it is told in.
pub(super) struct Scenario {
    pub(super) key: &'static str,
    /// Whose products it concerns; `None`: either vendor's.
    pub(super) vendor: Option<Vendor>,
    pub(super) request: RequestType,
    /// The priority the customer usually picks.
    pub(super) priority: Priority,
    pub(super) serial: SerialUse,
    /// Ends in a replacement part (RMA).
    pub(super) rma: bool,
    /// May turn out to be a product defect (a problem report).
    pub(super) pr: bool,
    /// How common it is among the random cases.
    pub(super) weight: u32,
    /// Error messages and log lines (`{code}`).
    pub(super) codes: &'static [&'static str],
    pub(super) subjects: Pool,
    pub(super) descriptions: Pool,
    /// Progress notes by support.
    pub(super) updates: Pool,
    /// The note that gives the solution.
    pub(super) solutions: Pool,
}

const CORE_DOWN: Scenario = Scenario {
    key: "core_down",
    vendor: Some(Vendor::Network),
    request: RequestType::TechnicalSupport,
    priority: Priority::P1,
    serial: SerialUse::Always,
    rma: false,
    pr: false,
    weight: 3,
    codes: &[
        "%SYS-2-MALLOCFAIL: Memory allocation of 65536 bytes failed from 0x7F3A2C10, alignment 0",
        "%PLATFORM-4-ELEMENT_WARNING: R0/0: smand: RP/0: Used Memory value 97% exceeds warning level 90%",
        "%IOSXE-2-PLATFORM: R0/0: kernel: watchdog: BUG: soft lockup - CPU#2 stuck for 22s",
        "kernel: Oops: 0000 [#1] SMP; fpc0 panic: page fault while in kernel mode",
    ],
    subjects: Pool {
        ja: &[
            "【緊急】{site} コアルーター {platform} がダウン、全拠点で通信断",
            "{platform}（{serial}）が応答なし・{site} のサービス停止",
            "コアルーターが再起動を繰り返す／{site} の基幹ネットワーク停止",
        ],
        en: &[
            "P1: core router {platform} down at {site} - all traffic lost",
            "{site} outage: {platform} ({serial}) unresponsive after reload",
            "Core router crash loop, production network down",
        ],
    },
    descriptions: Pool {
        ja: &[
            "本日 {time} 頃より、{site} のコアルーター {platform}（シリアル番号 {serial}、ソフトウェア {version}）が応答しなくなりました。\n\nコンソール接続でも応答がなく、配下の全セグメントで通信ができない状態です。基幹業務システムが停止しており、業務影響は甚大です。\n\n直前の変更作業: なし\n最後に表示されたメッセージ: {code}\n\n至急の対応をお願いいたします。電話での連絡を希望します（{phone}）。",
            "【障害概要】\n{site}（サイトID {site_id}）のコアルーター {platform} が {time} 頃に再起動し、その後起動途中で停止と再起動を繰り返しています。\n\n【環境】\n製品: {product}\nプラットフォーム: {platform}\nソフトウェア: {version}\nシリアル番号: {serial}\n\n【発生状況】\nコンソールには以下が出力されています。\n{code}\nROMMON までは到達しますが、イメージのロード後に再起動します。冗長構成の待機系も同時に停止したため、現在すべての WAN 回線が切断されています。\n\n【業務影響】\n全社の受発注システムとコールセンターが利用できません。本日中の復旧が必要です。\n\n【お願い】\n至急エンジニアからの連絡をお願いします。現地に作業員が待機しており、コンソール接続を提供できます。",
        ],
        en: &[
            "Since about {time} local time the core router at {site} ({platform}, serial {serial}, running {version}) has stopped forwarding traffic. The console is unresponsive and every downstream segment is down.\n\nThis is a full production outage. No changes were made beforehand. Last message seen on the console:\n{code}\n\nPlease call {phone} as soon as possible.",
            "Summary\n{platform} at {site} (site ID {site_id}) reloaded at {time} and has been stuck in a boot loop since.\n\nEnvironment\nProduct: {product}\nSoftware: {version}\nSerial: {serial}\n\nWhat we see\nThe console prints:\n{code}\nIt reaches ROMMON, loads the image and reloads again. The standby unit went down at the same time, so all WAN links are down.\n\nBusiness impact\nOrder processing and the call center are down for the whole company. We need service back today.\n\nWe have staff on site and can give you console access right away.",
        ],
    },
    updates: Pool {
        ja: &[
            "クラッシュ情報（crashinfo）とコアファイルを解析中です。現時点ではフォワーディングプロセスのメモリ破損によるクラッシュの可能性が高いと見ています。次回の更新は4時間以内に行います。",
            "現地の作業員の方と待機系への切り替えを実施しました。切り替え後、主要サービスの通信が回復していることを確認済みです。根本原因の調査を継続します。",
        ],
        en: &[
            "We're analysing the crashinfo and the core file. The current theory is a memory corruption in the forwarding process. Next update within 4 hours.",
            "We walked the on-site team through failing over to the standby unit; key services are passing traffic again. Root-cause analysis continues.",
        ],
    },
    solutions: Pool {
        ja: &[
            "解析の結果、{version} の既知の不具合によるクラッシュと判明しました。{fixed} で修正されています。暫定対処として該当機能を無効化する設定を適用いただき、安定稼働を確認しました。計画的なアップグレードをお願いいたします。",
            "起動イメージの破損が原因でした。正常なイメージを再転送し、ブート変数を修正したことで正常に起動しました。念のため待機系のイメージも検証済みです。",
        ],
        en: &[
            "The crash is a known defect in {version}, fixed in {fixed}. As a workaround we disabled the affected feature and the router has been stable since. Please schedule the upgrade.",
            "The boot image was corrupted. After copying a good image and fixing the boot variable the router came up normally; we verified the standby's image too.",
        ],
    },
};

const BGP_FLAP: Scenario = Scenario {
    key: "bgp_flap",
    vendor: Some(Vendor::Network),
    request: RequestType::TechnicalSupport,
    priority: Priority::P2,
    serial: SerialUse::Always,
    rma: false,
    pr: false,
    weight: 4,
    codes: &[
        "%BGP-5-ADJCHANGE: neighbor {peer} Down BGP Notification sent",
        "%BGP-3-NOTIFICATION: sent to neighbor {peer} 4/0 (hold time expired) 0 bytes",
        "rpd[2217]: BGP_IO_ERROR_CLOSE_SESSION: BGP peer {peer} (External AS {asn}): Hold timer expired",
        "bgp_hold_timeout:4011: NOTIFICATION sent to {peer} (External AS {asn}): code 4 (Hold Timer Expired Error)",
    ],
    subjects: Pool {
        ja: &[
            "BGP ネイバー {peer} が断続的にフラップする",
            "{site} の BGP セッション（AS{asn}）が数時間おきにダウン",
            "eBGP ピア {peer} でセッション断が頻発（Hold timer expired）",
        ],
        en: &[
            "Intermittent BGP flaps with neighbor {peer}",
            "BGP session to AS{asn} drops every few hours at {site}",
            "eBGP peer {peer} keeps resetting (hold timer expired)",
        ],
    },
    descriptions: Pool {
        ja: &[
            "{site} のルーター {platform}（{version}）で、上位 ISP との BGP セッション（ネイバー {peer}、AS{asn}）が1日に数回ダウン／アップを繰り返しています。\n\nログ:\n{code}\n\n通信は冗長経路に迂回されますが、切り替えのたびに数十秒の通信断が発生しています。",
            "【現象】\n{time} 頃から、BGP ネイバー {peer}（AS{asn}）とのセッションが断続的に切断されます。ホールドタイマー満了によるものと思われます。\n\n【確認済み事項】\n・物理インターフェース {iface} のエラーカウンタは増加していません\n・ISP 側では障害は確認されていないとの回答です\n・同じ構成の他拠点では発生していません\n\n【ログ抜粋】\n{code}\n\n【影響】\nセッション断のたびに経路が再収束し、{site} からクラウドサービスへの通信が30秒ほど途切れます。重要な機能に影響が出ているため、優先度は高でお願いします。",
        ],
        en: &[
            "The BGP session between our {platform} at {site} ({version}) and our upstream provider (neighbor {peer}, AS{asn}) goes down and comes back several times a day.\n\nLog:\n{code}\n\nTraffic fails over to the backup path, but every flap costs us 20-40 seconds of loss.",
            "What happens\nSince {time}, the session with {peer} (AS{asn}) drops intermittently, apparently on hold-timer expiry.\n\nWhat we checked\n- No errors incrementing on {iface}\n- The ISP sees nothing on their side\n- Other sites with the same design are fine\n\nLog excerpt\n{code}\n\nImpact\nEach flap triggers reconvergence and users at {site} lose access to cloud services for about 30 seconds.",
        ],
    },
    updates: Pool {
        ja: &[
            "受領したログを解析した結果、コントロールプレーンの CPU 使用率が高い時間帯に BGP キープアライブの送信が遅延していることがわかりました。CPU 負荷の要因を調査しています。",
            "ISP 側とのタイマー値の不一致（hold time 90秒／30秒）を確認しました。設定の見直し案を作成しています。",
        ],
        en: &[
            "The logs show keepalives being delayed while control-plane CPU is high. We're looking into what drives the CPU spikes.",
            "We found a timer mismatch with the provider (hold time 90s vs 30s) and are preparing a configuration change.",
        ],
    },
    solutions: Pool {
        ja: &[
            "BFD の導入とホールドタイマーの調整（ISP 側と合わせて 30秒）を実施いただき、以降セッションが安定していることを確認しました。",
            "コントロールプレーン保護（CoPP）のポリシーを修正したところ、キープアライブの遅延が解消し、フラップは発生していません。",
        ],
        en: &[
            "After enabling BFD and aligning the hold timers with the provider (30s), the session has been stable.",
            "Adjusting the control-plane policing policy stopped the keepalive drops; no flaps since.",
        ],
    },
};

const PSU_RMA: Scenario = Scenario {
    key: "psu_rma",
    vendor: Some(Vendor::Network),
    request: RequestType::TechnicalSupport,
    priority: Priority::P2,
    serial: SerialUse::Always,
    rma: true,
    pr: false,
    weight: 4,
    codes: &[
        "%PLATFORM_ENV-1-PWR: Power supply {psu} failed",
        "%ENVMON-3-POWER_ERROR: Power supply {psu} is not functioning",
        "chassisd: CHASSISD_PSU_FAILURE: {psu} failed; input voltage out of range",
        "%PLATFORM-2-PS_FAIL: Power supply {psu} failed or shut down (Serial number LIT2231A0BC)",
    ],
    subjects: Pool {
        ja: &[
            "{platform} の電源ユニット {psu} 故障・電源冗長性喪失",
            "電源の冗長性が失われた（{serial}）",
            "{site} の {platform} で PSU アラームが点灯",
        ],
        en: &[
            "Power supply {psu} failed on {platform} - no power redundancy",
            "Loss of PSU redundancy on {serial}",
            "PSU alarm on {platform} at {site}",
        ],
    },
    descriptions: Pool {
        ja: &[
            "{site} の {platform}（シリアル番号 {serial}）で電源ユニット {psu} の故障アラームが出ています。\n\n{code}\n\n現在は片系の電源のみで稼働しており、冗長性がありません。交換をお願いします。",
            "【状況】\n本日の定期点検で、{platform} の {psu} の LED が消灯していることに気づきました。ログには以下が記録されています。\n{code}\n\n【実施済み】\n・電源ケーブルの抜き差し\n・別系統の PDU への接続替え\nいずれも改善しませんでした。\n\n【依頼】\nRMA による交換部品の手配をお願いします。設置場所: {site}（{site_id}）、受け取り担当: {contact}。",
        ],
        en: &[
            "{platform} at {site} (serial {serial}) reports power supply {psu} as failed:\n\n{code}\n\nThe chassis is running on a single supply with no redundancy. Please arrange a replacement.",
            "Situation\nDuring today's walk-through we noticed the {psu} LED on {platform} is off. The log shows:\n{code}\n\nAlready tried\n- Reseating the power cord\n- Moving it to a different PDU\nNeither helped.\n\nRequest\nPlease ship a replacement under RMA. Ship to {site} ({site_id}), attention {contact}.",
        ],
    },
    updates: Pool {
        ja: &[
            "show environment の出力から、{psu} のハードウェア故障と判断しました。交換部品の手配を進めています。",
        ],
        en: &[
            "The show environment output confirms a hardware failure of {psu}. We're arranging the replacement.",
        ],
    },
    solutions: Pool {
        ja: &[
            "交換用電源ユニットの取り付け後、{psu} が正常に認識され、電源の冗長性が回復したことを確認しました。",
        ],
        en: &[
            "After the replacement supply was installed, {psu} is recognised and power redundancy is restored.",
        ],
    },
};

const BACKUP_FAIL: Scenario = Scenario {
    key: "backup_fail",
    vendor: Some(Vendor::Backup),
    request: RequestType::TechnicalSupport,
    priority: Priority::P2,
    serial: SerialUse::Always,
    rma: false,
    pr: false,
    weight: 5,
    codes: &[
        "Snapshot failed: VSS_E_UNEXPECTED_PROVIDER_ERROR (0x8004230F)",
        "Error 1722: The RPC server is unavailable",
        "ReadFile failed: error 23 (Data error (cyclic redundancy check))",
        "Failed to write image file: error 112 (There is not enough space on the disk)",
        "Error 5 (Access is denied) opening \\\\nas01\\backup\\{server}",
    ],
    subjects: Pool {
        ja: &[
            "毎晩のバックアップが失敗する（{server}）",
            "{server} の増分バックアップがエラーで失敗し続ける",
            "バックアップジョブ失敗: {code}",
        ],
        en: &[
            "Nightly backups failing on {server}",
            "Incremental backups keep failing: {code}",
            "Scheduled backup job fails every night since update",
        ],
    },
    descriptions: Pool {
        ja: &[
            "{site} のファイルサーバー {server}（{platform}）で、{product} {version} の夜間バックアップ（{time} 開始）が3日連続で失敗しています。\n\nエラー: {code}\n\n手動でフルバックアップを実行すると成功します。",
            "【障害の件名】\n夜間の増分バックアップが失敗し続ける\n\n【発生状況】\n・対象サーバー: {server}（{platform}）\n・製品: {product} {version}（シリアル番号 {serial}）\n・{time} 開始のスケジュールジョブが毎回失敗\n・初めて発生したのは約1週間前\n\n【直前の変更】\nWindows Update を適用し、ウイルス対策ソフトを更新しました。\n\n【エラーメッセージ】\n{code}\n\n【再現性】\n毎晩再現します。手動でのフルバックアップは成功します。\n\n【業務への影響】\n直近のバックアップが取得できない状態が続いており、障害時に復旧できないリスクがあります。",
        ],
        en: &[
            "The nightly {product} {version} backup of {server} ({platform}) at {site} has failed three nights in a row. The job starts at {time}.\n\nError: {code}\n\nA manual full backup completes fine.",
            "Subject\nIncremental backups keep failing\n\nDetails\n- Server: {server} ({platform})\n- Product: {product} {version} (serial {serial})\n- The scheduled job at {time} fails every time\n- First seen about a week ago\n\nChanges before it started\nWindows updates and a new antivirus version were installed.\n\nError message\n{code}\n\nReproducible\nEvery night. A manual full backup succeeds.\n\nBusiness impact\nWe have no recent recovery point for this server.",
        ],
    },
    updates: Pool {
        ja: &[
            "ログを確認したところ、VSS ライター（SqlServerWriter）が失敗状態になっており、スナップショットの作成に失敗しています。ライターのリセット手順をご案内します。",
            "ウイルス対策ソフトのリアルタイムスキャンがイメージファイルへの書き込みをブロックしている可能性があります。除外設定の追加をご検討ください。",
        ],
        en: &[
            "The logs show SqlServerWriter in a failed state, which makes the snapshot fail. Next step is to reset the writer.",
            "The antivirus real-time scan may be blocking writes to the image files. Please consider adding exclusions.",
        ],
    },
    solutions: Pool {
        ja: &[
            "ウイルス対策ソフトの除外設定に {product} のフォルダーを追加したところ、バックアップが正常に完了するようになりました。",
            "競合していたサードパーティ製 VSS プロバイダーを削除した後、3日間続けてバックアップが成功していることを確認しました。",
        ],
        en: &[
            "Adding the {product} folders to the antivirus exclusions fixed it: backups complete again.",
            "After removing the conflicting third-party VSS provider, backups have succeeded three nights running.",
        ],
    },
};

const VERIFY_FAIL: Scenario = Scenario {
    key: "verify_fail",
    vendor: Some(Vendor::Backup),
    request: RequestType::BugFix,
    priority: Priority::P2,
    serial: SerialUse::Always,
    rma: false,
    pr: true,
    weight: 3,
    codes: &[
        "Verification failed: image file {server}_C_VOL-b001-i0127.spi is corrupt (CRC mismatch)",
        "Image chain broken: missing incremental {server}_D_VOL-b002-i0042.spi",
        "Error: The image file header is invalid (0x80070570)",
    ],
    subjects: Pool {
        ja: &[
            "バックアップイメージの検証に失敗する",
            "ImageManager でイメージ検証エラー（{server}）",
            "検証失敗: イメージチェーンが破損と表示される",
        ],
        en: &[
            "Backup image verification fails",
            "ImageManager verification error on {server}",
            "Verify job reports a broken image chain",
        ],
    },
    descriptions: Pool {
        ja: &[
            "{product} {version} で、{server} のバックアップイメージの検証が失敗します。\n\n{code}\n\nイメージファイル自体は作成されていますが、検証が通らないため復元できるか不安です。",
            "【現象】\n{time} の検証ジョブで、{server} のイメージチェーンの検証が失敗しました。以降、毎回同じ増分ファイルで失敗します。\n\n【エラー】\n{code}\n\n【環境】\n製品: {product} {version}\nOS: {platform}\n保存先: NAS（SMB 共有）\n\n【確認したこと】\n・保存先ディスクの空き容量は十分にあります\n・NAS のログにエラーはありません\n・別サーバーのイメージは正常に検証できます\n\n検証が通らないイメージから復元できるのか、また修正方法を教えてください。",
        ],
        en: &[
            "With {product} {version}, verification of the backup images of {server} fails:\n\n{code}\n\nThe image files are there, but we can't trust them without a passing verification.",
            "What happens\nThe verify job at {time} failed on the image chain of {server}, and since then it fails on the same incremental every time.\n\nError\n{code}\n\nEnvironment\nProduct: {product} {version}\nOS: {platform}\nDestination: NAS (SMB share)\n\nWhat we checked\n- Plenty of free space on the destination\n- Nothing in the NAS logs\n- Images of other servers verify fine\n\nCan we still restore from these images, and how do we fix this?",
        ],
    },
    updates: Pool {
        ja: &[
            "ラボで同一バージョンを使用して再現しました。高負荷時にイメージヘッダーの書き込みが不完全になる場合があると見ています。",
        ],
        en: &[
            "We reproduced this in the lab on the same version: under load the image header can be written incompletely.",
        ],
    },
    solutions: Pool {
        ja: &[
            "{fixed} で修正されました。アップグレード後、既存チェーンを再検証し、新しいフルバックアップを取得してください。",
        ],
        en: &[
            "Fixed in {fixed}. After upgrading, re-verify the chain and take a fresh full backup.",
        ],
    },
};

const RESTORE_DOWN: Scenario = Scenario {
    key: "restore_down",
    vendor: Some(Vendor::Backup),
    request: RequestType::TechnicalSupport,
    priority: Priority::P1,
    serial: SerialUse::Always,
    rma: false,
    pr: false,
    weight: 2,
    codes: &[
        "Restore failed: unable to read image file (error 1117: I/O device error)",
        "HIR: boot volume not found after restore",
        "Error 0xC000000E: A required device isn't connected or can't be accessed",
        "Restore aborted: the image chain is incomplete",
    ],
    subjects: Pool {
        ja: &[
            "【緊急】本番サーバー {server} が停止、リストアできない",
            "本番 DB サーバーが起動不可・{product} からの復元に失敗",
            "ベアメタル復元が途中で失敗する（本番停止中）",
        ],
        en: &[
            "URGENT: production server {server} down, restore impossible",
            "Bare-metal restore fails on production DB server",
            "Production server won't boot and recovery from {product} fails",
        ],
    },
    descriptions: Pool {
        ja: &[
            "本番の基幹サーバー {server} がディスク障害で起動しなくなりました。{product} のリカバリー環境から復元を試みていますが、次のエラーで失敗します。\n{code}\n\n業務が完全に停止しています。至急対応をお願いします。連絡先: {phone}",
            "【障害概要】\n本日 {time}、本番 SQL Server {server} の RAID が崩壊し、OS が起動しなくなりました。\n\n【実施した操作】\n1. 新しいディスクに交換\n2. {product} {version} のリカバリー環境（ブータブルメディア）で起動\n3. 最新の増分イメージを選択して復元を開始\n\n【結果】\n復元が 37% で停止し、以下のエラーが表示されます。\n{code}\n\n【業務影響】\n受注・出荷システムが停止しており、{site} の全業務が止まっています。本日中の復旧が必要です。\n\nパートナーのエンジニアが現地で作業中です。",
        ],
        en: &[
            "Our production server {server} won't boot after a disk failure. We are restoring from {product} in the recovery environment but it fails with:\n{code}\n\nThe business is completely down. Please help urgently: {phone}",
            "Summary\nAt {time} today the RAID on production SQL Server {server} failed and the OS no longer boots.\n\nWhat we did\n1. Replaced the disks\n2. Booted the {product} {version} recovery environment\n3. Selected the latest incremental and started the restore\n\nResult\nThe restore stops at 37% with:\n{code}\n\nBusiness impact\nOrder entry and shipping are down; nothing at {site} works. We must be back today.\n\nOur partner's engineer is on site now.",
        ],
    },
    updates: Pool {
        ja: &[
            "リカバリー環境のログを解析しています。並行して、前日のフルイメージからの復元もお試しください。",
        ],
        en: &[
            "We're analysing the recovery-environment log. In parallel, please try restoring from the previous day's full image.",
        ],
    },
    solutions: Pool {
        ja: &[
            "異なるハードウェアへの復元（HIR）でストレージドライバーを追加したところ、復元が完了しサーバーが起動しました。業務の再開を確認しています。",
        ],
        en: &[
            "Restoring with Hardware Independent Restore and injecting the storage driver worked: the server is back up and the business is running.",
        ],
    },
};

const LICENCE: Scenario = Scenario {
    key: "licence",
    vendor: Some(Vendor::Backup),
    request: RequestType::Licence,
    priority: Priority::P4,
    serial: SerialUse::Often,
    rma: false,
    pr: false,
    weight: 4,
    codes: &[
        "This product key has already been activated the maximum number of times",
        "Activation failed: the serial number is not valid for this product",
        "License server unreachable (error 12029)",
    ],
    subjects: Pool {
        ja: &[
            "{product} のライセンス認証ができない",
            "アクティベーションエラー（シリアル {serial}）",
            "ライセンスキーの再発行依頼",
        ],
        en: &[
            "Cannot activate {product} licence",
            "Activation error for serial {serial}",
            "Please reissue licence key",
        ],
    },
    descriptions: Pool {
        ja: &[
            "サーバーのリプレースに伴い {product} を新サーバーへ移行しましたが、アクティベーションで「{code}」と表示され認証できません。旧サーバーのライセンス解除方法も教えてください。",
            "{product} のライセンスキーを紛失しました。シリアル番号 {serial} のキーを再発行していただけますか。",
        ],
        en: &[
            "We migrated {product} to a new server as part of a hardware refresh and activation now fails with \"{code}\". How do we release the licence from the old server?",
            "We lost the licence key for {product}. Could you reissue the key for serial {serial}?",
        ],
    },
    updates: Pool {
        ja: &["ライセンス管理システムで旧サーバーのアクティベーションを確認しています。"],
        en: &["Checking the old server's activation on our licensing system."],
    },
    solutions: Pool {
        ja: &[
            "アクティベーション回数をリセットしました。新サーバーで再度認証をお試しください。",
            "ライセンスキーを再発行し、ご登録のメールアドレスへ送付しました。",
        ],
        en: &[
            "Activation count reset; please activate again on the new server.",
            "The key has been reissued and sent to the registered e-mail address.",
        ],
    },
};

const DOWNLOAD: Scenario = Scenario {
    key: "download",
    vendor: None,
    request: RequestType::Download,
    priority: Priority::P4,
    serial: SerialUse::Often,
    rma: false,
    pr: false,
    weight: 3,
    codes: &["403 Forbidden: your account is not entitled to this software"],
    subjects: Pool {
        ja: &[
            "{product} {fixed} のダウンロード依頼",
            "最新版インストーラーの入手方法",
            "リリースノートとダウンロードリンクの送付依頼",
        ],
        en: &[
            "Download request: {product} {fixed}",
            "Where can we get the latest installer?",
            "Need release notes and download link for {fixed}",
        ],
    },
    descriptions: Pool {
        ja: &[
            "{product} を {version} から {fixed} にアップグレードする予定です。ダウンロードサイトで「{code}」と表示されるため、入手方法を教えてください。",
            "保守契約を更新したのですが、ポータルでダウンロードが許可されていません。{serial} の権限を確認してください。",
        ],
        en: &[
            "We plan to upgrade {product} from {version} to {fixed}, but the download site says \"{code}\". Please advise.",
            "We renewed our contract last month but the portal still won't let us download. Please check the entitlement for {serial}.",
        ],
    },
    updates: Pool {
        ja: &["契約情報を確認し、ダウンロード権限の付与を依頼しました。"],
        en: &["Checked the contract and requested download access for your account."],
    },
    solutions: Pool {
        ja: &[
            "ダウンロード権限を付与しました。ポータルから {fixed} をダウンロードできることをご確認ください。",
        ],
        en: &["Download access granted; you should now see {fixed} on the portal."],
    },
};

const OWNERSHIP: Scenario = Scenario {
    key: "ownership",
    vendor: None,
    request: RequestType::OwnershipTransfer,
    priority: Priority::P4,
    serial: SerialUse::Always,
    rma: false,
    pr: false,
    weight: 2,
    codes: &[""],
    subjects: Pool {
        ja: &[
            "機器の所有者変更（{serial}）",
            "{product} のライセンス名義変更の依頼",
            "会社統合に伴う保守契約の名義変更",
        ],
        en: &[
            "Ownership transfer for {serial}",
            "Transfer {product} licence to a new owner",
            "Change contract owner after acquisition",
        ],
    },
    descriptions: Pool {
        ja: &[
            "グループ会社間で機器を移管しました。シリアル番号 {serial} の所有者を {account} に変更したいです。必要な書類を教えてください。",
            "会社統合に伴い、{product}（{serial}）の契約名義を {account} へ変更したいと考えています。手続きをご案内ください。",
        ],
        en: &[
            "We moved this device between subsidiaries. Please transfer serial {serial} to {account}. What paperwork do you need?",
            "After our acquisition we need the {product} contract for {serial} moved to {account}. Please tell us the process.",
        ],
    },
    updates: Pool {
        ja: &["所有権移転の申請書をお送りしました。ご記入のうえご返送ください。"],
        en: &["I've sent the transfer form; please fill it in and send it back."],
    },
    solutions: Pool {
        ja: &["所有者変更の手続きが完了しました。{serial} は {account} 名義で登録されています。"],
        en: &["The transfer is complete; {serial} is now registered to {account}."],
    },
};

const GUI_COSMETIC: Scenario = Scenario {
    key: "gui_cosmetic",
    vendor: None,
    request: RequestType::BugFix,
    priority: Priority::P4,
    serial: SerialUse::Often,
    rma: false,
    pr: true,
    weight: 2,
    codes: &[""],
    subjects: Pool {
        ja: &[
            "管理画面で日本語が文字化けする",
            "GUI の表示崩れ（ダッシュボードのボタンが重なる）",
            "レポート画面の日付が英語形式で表示される",
        ],
        en: &[
            "Japanese text garbled in the management console",
            "Cosmetic: dashboard buttons overlap",
            "Report page shows dates in the wrong format",
        ],
    },
    descriptions: Pool {
        ja: &[
            "{product} {version} の管理画面で、名前に日本語を使うと一覧表示で文字化けします。動作には影響ありません。",
            "{product} のダッシュボードで、ウィンドウ幅を狭めるとボタンが重なって押せなくなります。ブラウザーは Edge と Chrome の最新版です。表示上の問題のみで、業務への影響はありません。",
        ],
        en: &[
            "In the {product} {version} console, names with Japanese characters show as garbled text in the list view. Functionality is not affected.",
            "When the browser window is narrow, buttons on the {product} dashboard overlap and can't be clicked. Latest Edge and Chrome. Cosmetic only, no business impact.",
        ],
    },
    updates: Pool {
        ja: &["開発部門で再現を確認しました。表示上の不具合として修正が予定されています。"],
        en: &["Engineering reproduced it; it's tracked as a display defect."],
    },
    solutions: Pool {
        ja: &["{fixed} で修正されています。次回のメンテナンスでのアップグレードをご検討ください。"],
        en: &["This is fixed in {fixed}; please pick it up at your next maintenance window."],
    },
};

const FEATURE: Scenario = Scenario {
    key: "feature",
    vendor: None,
    request: RequestType::FeatureRequest,
    priority: Priority::P4,
    serial: SerialUse::Rarely,
    rma: false,
    pr: false,
    weight: 2,
    codes: &[""],
    subjects: Pool {
        ja: &[
            "機能追加要望: ジョブ完了通知を Teams に送りたい",
            "機能要望: {product} の設定を API で取得したい",
            "要望: レポートを CSV でエクスポートしたい",
        ],
        en: &[
            "Feature request: send job alerts to Slack",
            "Feature request: REST API for {product} configuration",
            "Please add CSV export to reports",
        ],
    },
    descriptions: Pool {
        ja: &[
            "{product} の完了・失敗通知を、メールだけでなく Microsoft Teams にも送れるようにしてほしいです。夜間の失敗に朝まで気づかないことがあります。",
            "{product} の設定や状態を REST API で取得できるようにしてほしいです。現在は {site} の担当者が画面から手作業で確認しています。",
        ],
        en: &[
            "Please let {product} send its success and failure alerts to Slack as well as e-mail. We sometimes miss night-time failures until morning.",
            "We'd like a REST API to read {product} configuration and status. Today someone at {site} checks every screen by hand.",
        ],
    },
    updates: Pool {
        ja: &["製品管理部門へ要望内容を共有しました。"],
        en: &["Shared the request with product management."],
    },
    solutions: Pool {
        ja: &[
            "ご要望を製品管理部門に機能強化要望として登録しました。将来のリリースでの対応を検討します。",
        ],
        en: &[
            "We've logged this with product management as an enhancement request for a future release.",
        ],
    },
};

const CONFIG_Q: Scenario = Scenario {
    key: "config_q",
    vendor: Some(Vendor::Network),
    request: RequestType::TechnicalSupport,
    priority: Priority::P3,
    serial: SerialUse::Often,
    rma: false,
    pr: false,
    weight: 4,
    codes: &[""],
    subjects: Pool {
        ja: &[
            "OSPF から BGP への再配布設定について",
            "{platform} での QoS 設定方法を教えてほしい",
            "NTP 同期設定の推奨値について",
            "ラボ環境で VRF 間ルーティングが動作しない",
        ],
        en: &[
            "Question: redistributing OSPF into BGP",
            "How to configure QoS on {platform}",
            "Recommended NTP settings",
            "Inter-VRF routing not working in the lab",
        ],
    },
    descriptions: Pool {
        ja: &[
            "{site} のラボ環境で {platform}（{version}）を検証しています。OSPF で学習した経路を BGP へ再配布する際、特定のプレフィックスのみを広告する推奨設定を教えてください。",
            "音声トラフィックを優先させるため、{iface} に QoS を設定したいと考えています。{version} での推奨設定例はありますか。本番導入は来月を予定しています。",
            "ラボの {platform} で VRF 間のルートリークを設定しましたが、通信ができません。設定を添付しますので確認をお願いします。本番環境への影響はありません。",
        ],
        en: &[
            "We're testing {platform} ({version}) in the {site} lab. What is the recommended way to redistribute OSPF routes into BGP while advertising only certain prefixes?",
            "We want to prioritise voice traffic with QoS on {iface}. Is there a recommended configuration example for {version}? Production rollout is planned for next month.",
            "We set up route leaking between VRFs on the lab {platform} but traffic doesn't pass. Config attached. No production impact.",
        ],
    },
    updates: Pool {
        ja: &["設定例を作成しています。ラボで動作確認のうえお送りします。"],
        en: &["Preparing a sample configuration; I'll test it in our lab before sending it."],
    },
    solutions: Pool {
        ja: &[
            "推奨設定例（route-map とプレフィックスリストを使用）をお送りしました。ラボで動作することをご確認いただきました。",
        ],
        en: &[
            "Sent a sample configuration using a route-map and a prefix list; the customer confirmed it works in the lab.",
        ],
    },
};

const LAB_ERRORS: Scenario = Scenario {
    key: "lab_errors",
    vendor: Some(Vendor::Backup),
    request: RequestType::TechnicalSupport,
    priority: Priority::P3,
    serial: SerialUse::Always,
    rma: false,
    pr: false,
    weight: 3,
    codes: &[
        "Warning: volume bitmap could not be read, falling back to sector scan",
        "Retrying write to destination (attempt 2 of 3)",
        "VSS writer 'Registry Writer' timed out, retrying",
    ],
    subjects: Pool {
        ja: &[
            "バックアップ中に断続的なエラーが出るが完了はする",
            "テスト環境でのみ増分バックアップが遅い",
            "{product} の警告メッセージについて",
        ],
        en: &[
            "Intermittent errors during backup, but the job completes",
            "Incrementals slow in the test environment only",
            "Question about a {product} warning",
        ],
    },
    descriptions: Pool {
        ja: &[
            "{server} のバックアップで、ログに「{code}」が時々記録されます。バックアップ自体は正常に完了しています。原因を知りたいです。",
            "検証環境（仮想マシン）でのみ、増分バックアップに通常の3倍の時間がかかります。本番環境への影響はありません。ログには「{code}」が出ています。",
        ],
        en: &[
            "The backup of {server} sometimes logs \"{code}\". The backup itself completes normally. We'd like to know why.",
            "Only in our test environment (VMs), incrementals take three times as long as usual. Production is unaffected. The log shows \"{code}\".",
        ],
    },
    updates: Pool {
        ja: &["ログ上はリトライにより正常に完了しています。発生条件を調査しています。"],
        en: &["The log shows the retries succeed; investigating what triggers them."],
    },
    solutions: Pool {
        ja: &[
            "保存先 NAS の省電力設定による一時的な応答遅延が原因でした。設定変更後、警告は出ていません。",
        ],
        en: &[
            "The NAS's power-saving mode caused the delays; after changing it the warnings stopped.",
        ],
    },
};

const ENTITLEMENT: Scenario = Scenario {
    key: "entitlement",
    vendor: None,
    request: RequestType::Entitlement,
    priority: Priority::P4,
    serial: SerialUse::Always,
    rma: false,
    pr: false,
    weight: 2,
    codes: &[""],
    subjects: Pool {
        ja: &[
            "保守契約の状況確認（{serial}）",
            "サポート契約が有効か確認したい",
            "契約更新後もポータルで契約切れと表示される",
        ],
        en: &[
            "Contract status for {serial}",
            "Is our support contract active?",
            "Portal still shows contract expired after renewal",
        ],
    },
    descriptions: Pool {
        ja: &[
            "シリアル番号 {serial} の保守契約の有効期限を教えてください。",
            "先月契約を更新しましたが、ポータル上で {serial} が契約切れと表示されます。",
        ],
        en: &[
            "Please tell us when the support contract for serial {serial} ends.",
            "We renewed last month but the portal shows {serial} as out of contract.",
        ],
    },
    updates: Pool {
        ja: &["契約部門に確認しています。"],
        en: &["Checking with the contracts team."],
    },
    solutions: Pool {
        ja: &["契約情報を更新しました。{serial} は有効な保守契約の対象です。"],
        en: &["Entitlement updated: {serial} is covered."],
    },
};

const REGISTRATION: Scenario = Scenario {
    key: "registration",
    vendor: None,
    request: RequestType::Registration,
    priority: Priority::P4,
    serial: SerialUse::Always,
    rma: false,
    pr: false,
    weight: 2,
    codes: &["Registration failed: serial number already registered to another account"],
    subjects: Pool {
        ja: &["製品登録ができない", "新規購入品の製品登録をお願いしたい"],
        en: &[
            "Can't register a new product",
            "Please register a newly purchased unit",
        ],
    },
    descriptions: Pool {
        ja: &[
            "新しく購入した {product}（{serial}）をポータルで登録しようとすると「{code}」となります。",
            "{site} に導入した {product}（{serial}）の製品登録をお願いできますか。",
        ],
        en: &[
            "Registering our new {product} ({serial}) on the portal fails with \"{code}\".",
            "Could you register the {product} ({serial}) we installed at {site}?",
        ],
    },
    updates: Pool {
        ja: &["以前の販売店のアカウントに登録されていたため、登録の移動を依頼しました。"],
        en: &["It was registered to the reseller's account; I've asked for it to be moved."],
    },
    solutions: Pool {
        ja: &["製品登録を完了しました。ポータルでご確認いただけます。"],
        en: &["Registration is done; you can see it on the portal now."],
    },
};

const RMA_STATUS: Scenario = Scenario {
    key: "rma_status",
    vendor: Some(Vendor::Network),
    request: RequestType::RmaStatus,
    priority: Priority::P3,
    serial: SerialUse::Always,
    rma: true,
    pr: false,
    weight: 2,
    codes: &[""],
    subjects: Pool {
        ja: &[
            "RMA の配送状況を教えてほしい",
            "交換部品がまだ届かない（{serial}）",
            "故障品の返送先について",
        ],
        en: &[
            "Where is our RMA replacement?",
            "Replacement part not delivered yet ({serial})",
            "Where do we send the defective unit?",
        ],
    },
    descriptions: Pool {
        ja: &[
            "先日手配いただいた {platform}（{serial}）の交換部品がまだ届いていません。配送状況を教えてください。",
            "交換用の {part} は受け取りました。故障品の返送方法と返送先を教えてください。",
        ],
        en: &[
            "The replacement for our {platform} ({serial}) hasn't arrived yet. What's the shipping status?",
            "We received the replacement {part}. How and where do we return the defective unit?",
        ],
    },
    updates: Pool {
        ja: &["物流部門に配送状況を確認しています。"],
        en: &["Checking the shipment with logistics."],
    },
    solutions: Pool {
        ja: &["配送業者の追跡番号 {tracking} をお送りしました。返送用の伝票も同梱されています。"],
        en: &["Sent the carrier tracking number {tracking}; a return label is in the box."],
    },
};

const OTHER: Scenario = Scenario {
    key: "other",
    vendor: None,
    request: RequestType::Other,
    priority: Priority::P4,
    serial: SerialUse::Rarely,
    rma: false,
    pr: false,
    weight: 2,
    codes: &[""],
    subjects: Pool {
        ja: &[
            "サポートポータルのアカウント追加",
            "年末年始のサポート対応時間について",
            "請求書の再発行について",
        ],
        en: &[
            "Add a user to the support portal",
            "Support hours over the holidays",
            "Please reissue an invoice",
        ],
    },
    descriptions: Pool {
        ja: &[
            "担当者変更に伴い、{contact} のポータルアカウントを作成してください。",
            "年末年始（12月29日〜1月3日）のサポート窓口の対応時間を教えてください。",
        ],
        en: &[
            "Please create a portal account for {contact}, who takes over as our contact.",
            "What are your support hours over the holidays?",
        ],
    },
    updates: Pool {
        ja: &["担当部署に確認しています。"],
        en: &["Checking with the team responsible."],
    },
    solutions: Pool {
        ja: &["ポータルアカウントを作成し、招待メールを送付しました。"],
        en: &["Portal account created and the invitation sent."],
    },
};

const CPU_HIGH: Scenario = Scenario {
    key: "cpu_high",
    vendor: Some(Vendor::Network),
    request: RequestType::BugFix,
    priority: Priority::P3,
    serial: SerialUse::Always,
    rma: false,
    pr: true,
    weight: 3,
    codes: &["SNMP ENGINE", "BGP Scanner", "IP Input", "rpd", "snmpd"],
    subjects: Pool {
        ja: &[
            "{platform} で CPU 使用率が高止まりする",
            "メモリリークの疑い（{version}）",
            "プロセス {code} の CPU 使用率が 90% を超える",
        ],
        en: &[
            "High CPU on {platform}",
            "Suspected memory leak in {version}",
            "Process {code} above 90% CPU",
        ],
    },
    descriptions: Pool {
        ja: &[
            "{site} の {platform}（{version}）で、CPU 使用率が常時 80〜90% になっています。show processes cpu では {code} が上位です。今のところ通信への影響はありません。",
            "【現象】\n{version} へのアップグレード後、{platform} の空きメモリが1日あたり約 200MB ずつ減少しています。\n\n【影響】\n現時点でサービスへの影響はありませんが、このままでは約2週間で枯渇する見込みです。\n\n【情報】\nメモリ使用量の上位プロセスは {code} です。監視サーバーからの SNMP ポーリング間隔は 60 秒です。",
        ],
        en: &[
            "{platform} at {site} ({version}) sits at 80-90% CPU all the time. show processes cpu puts {code} on top. No traffic impact so far.",
            "What happens\nSince upgrading to {version}, free memory on {platform} drops by about 200 MB a day.\n\nImpact\nNone yet, but at this rate it runs out in about two weeks.\n\nDetails\nThe top process by memory is {code}. Our monitoring polls SNMP every 60 seconds.",
        ],
    },
    updates: Pool {
        ja: &[
            "開発部門で、{version} において特定の SNMP ポーリングでメモリリークが発生する不具合を確認しました。暫定対処として該当 OID の除外をご検討ください。",
        ],
        en: &[
            "Engineering confirmed a memory leak in {version} triggered by polling certain SNMP OIDs. As a workaround, exclude those OIDs from polling.",
        ],
    },
    solutions: Pool {
        ja: &[
            "{fixed} で修正されました。アップグレード後、メモリ使用量が安定していることを確認しました。",
        ],
        en: &["Fixed in {fixed}; after the upgrade memory usage is flat."],
    },
};

const CRASH: Scenario = Scenario {
    key: "crash",
    vendor: Some(Vendor::Backup),
    request: RequestType::BugFix,
    priority: Priority::P2,
    serial: SerialUse::Always,
    rma: false,
    pr: true,
    weight: 2,
    codes: &[
        "Faulting application name: ImageManager.exe, exception code 0xc0000005",
        "The ShadowProtect Service terminated unexpectedly. It has done this 3 time(s).",
        "Unhandled exception: System.OutOfMemoryException at Console.JobList.Refresh()",
    ],
    subjects: Pool {
        ja: &[
            "{product} のサービスが異常終了する",
            "{product} の管理コンソールを開くとクラッシュする",
        ],
        en: &[
            "{product} service crashes",
            "{product} console crashes on start",
        ],
    },
    descriptions: Pool {
        ja: &[
            "{server} で {product} {version} のサービスが1日に数回異常終了します。\n\nイベントログ:\n{code}\n\nサービスの再起動で一時的に復旧しますが、その間のバックアップが取得できません。",
        ],
        en: &[
            "The {product} {version} service on {server} stops several times a day.\n\nEvent log:\n{code}\n\nRestarting the service brings it back, but backups are missed in between.",
        ],
    },
    updates: Pool {
        ja: &[
            "クラッシュダンプを解析した結果、ジョブ一覧の更新処理で例外が発生していることがわかりました。開発部門で調査中です。",
        ],
        en: &[
            "The crash dump shows an exception while refreshing the job list; engineering is investigating.",
        ],
    },
    solutions: Pool {
        ja: &[
            "{fixed} で修正されました。アップグレード後、1週間クラッシュが発生していないことを確認しました。",
        ],
        en: &["Fixed in {fixed}; no crash in the week since the upgrade."],
    },
};

/// Every scenario; the random cases draw from these in proportion to their weights.
pub(super) const SCENARIOS: &[Scenario] = &[
    CORE_DOWN,
    BGP_FLAP,
    PSU_RMA,
    BACKUP_FAIL,
    VERIFY_FAIL,
    RESTORE_DOWN,
    LICENCE,
    DOWNLOAD,
    OWNERSHIP,
    GUI_COSMETIC,
    FEATURE,
    CONFIG_Q,
    LAB_ERRORS,
    ENTITLEMENT,
    REGISTRATION,
    RMA_STATUS,
    OTHER,
    CPU_HIGH,
    CRASH,
];
