//! End-to-end detection cases through the default rule pack (issue 10): each family's values must disappear in
//! every log format while the bytes around them stay, and look-alikes must come through unchanged.
//!
//! The values here are made up and differ from the rule files' own examples, so that a rule shaped around its
//! examples fails here. Every case also checks that scrubbing twice gives the same bytes as scrubbing once.

use logscrub_engine::Scrubber;

fn scrubber() -> &'static Scrubber {
    static S: std::sync::OnceLock<Scrubber> = std::sync::OnceLock::new();
    S.get_or_init(|| Scrubber::default_rules().expect("the default pack compiles"))
}

fn scrub(line: &str) -> String {
    let s = scrubber();
    let mut scratch = s.scratch();
    let mut out = Vec::new();
    s.scrub_line(line.as_bytes(), &mut out, &mut scratch);
    let once = String::from_utf8(out).expect("scrubbed output is UTF-8");
    let mut again = Vec::new();
    s.scrub_line(once.as_bytes(), &mut again, &mut scratch);
    assert_eq!(
        once.as_bytes(),
        &again[..],
        "scrubbing twice differs from once for {line:?}"
    );
    once
}

/// `value` is gone, a placeholder stands where it was, and `before` / `after` (the text around it) are intact.
fn found(before: &str, value: &str, after: &str) {
    let line = format!("{before}{value}{after}");
    let out = scrub(&line);
    assert!(
        out.starts_with(before) && out.ends_with(after) && out.contains("[REDACTED:"),
        "expected {value:?} redacted and its surroundings kept:\n  in:  {line}\n  out: {out}"
    );
    let middle = &out[before.len()..out.len() - after.len()];
    assert!(!middle.contains(value), "{value:?} left in {out}");
    assert!(
        middle.starts_with('[') || middle.starts_with("\"["),
        "partial redaction: {out}"
    );
}

fn untouched(line: &str) {
    assert_eq!(scrub(line), line, "a look-alike was changed");
}

#[test]
fn us_phones_with_extensions_prefixes_and_context() {
    found("support callback ", "(312)867-5309", " queued");
    found("rang ", "312-867-5309 x4471", " twice");
    found("desk ", "312.867.5309 ext. 88", "");
    found("{\"contact\":\"", "+1-312-867-5309", "\"}");
    found("intl ", "001-312-867-5309", " ok");
    found("sms confirmation sent to ", "3128675309", " at 09:00");
    found("event=sms to=", "13128675309", " status=delivered");
    found("X-Callback-Phone: ", "+1 (312) 867-5309", "");
}

#[test]
fn international_phones_by_numbering_plan() {
    found("forwarding to ", "+4917612345678", " now");
    found("{\"mobile\":\"", "+34 622 18 40 77", "\"}");
    found("msisdn=", "+819087654321", " imsi=abc");
    found("whatsapp message to ", "+55 21 98765 4321", " failed");
    found("phone: ", "+44 (0)161 496 0734", "");
    found("customer mobile ", "0176 12345678", " verified");
}

#[test]
fn payment_cards_of_every_network_and_grouping() {
    // JCB, Maestro 12 and 19, UnionPay 19, Mir, RuPay, Troy, Diners 4-6-4, Amex 4-6-5 (Luhn-valid test numbers)
    found("charging card ", "3566 0020 2036 0505", " for 12.00");
    found("{\"pan\":\"", "6759649826438453", "\"}");
    found("refund issued to ", "6212 3456 7890 1234 569", " ok");
    found("cardNumber=", "2200 1234 5678 9019", " status=auth");
    found("payment_card: ", "6521-5000-0000-0006", "");
    found("troy card ", "9792 0300 0000 0000", " accepted");
    found("diners ", "3056 930902 5904", " on file");
    found("amex ", "3714-496353-98431", " declined");
    found("maestro card ", "5000 0000 0009", " used");
}

#[test]
fn street_addresses_in_prose_and_fields() {
    found(
        "order 77 shipping to ",
        "4821 Juniper Hollow Rd, Austin",
        " today",
    );
    found("billing address ", "Lindenstraße 44/2, 50674 Köln", "");
    found("geocode lookup for ", "12 Rue de la Paix", " failed");
    found("address changed to ", "Flat 9, 31 Mill Lane", " by user");
    found("{\"delivery_address\":\"", "Via Roma 12, Torino", "\"}");
    found("home_addr=", "88 Cedar Court", " verified=true");
}

#[test]
fn person_names_stop_at_the_name() {
    found("name=", "Jane Roe", " signup complete");
    found("{\"display_name\":\"", "Ana María Núñez", "\"}");
    found("cardholder_name=\"", "Dr. Erik Lindqvist", "\" amount=12");
    found("{\"customer\":{\"name\":\"", "Søren Kierkegaard", "\"}}");
    found("fullName=", "Zoë Ng", " plan=pro");
    found(
        "cardholder name \"",
        "Mrs Tamsin Holloway, B.Eng.",
        "\" rejected",
    );
    found("ticket opened by ", "Kofi Mensah", " via email");
    found("Dear ", "Herr Dipl.-Ing. Jürgen Vogt", ", your parcel");
}

#[test]
fn dates_of_birth_in_every_format() {
    for dob in [
        "5-MAY-1961",
        "05-May",
        "May-61",
        "1961-05-05T00:00:00+02:00",
        "19610505",
        "5th of May 1961",
    ] {
        found("patient dob ", dob, " verified");
    }
    found("{\"birthDate\":\"", "1984-11-30", "\"}");
}

#[test]
fn ssns_and_tax_ids() {
    found("ssn ", "219.09.9999", " on file");
    found("social security no ", "219 09 9999", "");
    found("tax_id=", "219099999", " ok");
    found("taxpayer id ", "457555462", " matched");
    found("{\"tin\":\"", "536228726", "\"}");
    found("EIN ", "94-1081436", " verified");
}

#[test]
fn aws_account_ids_by_field_and_phrase() {
    found("owner_account=", "210987654321", " region=eu-west-1");
    found("{\"AccountId\":\"", "098765432109", "\"}");
    found("access granted to account ", "123456789012", " for role x");
}

#[test]
fn collateral_and_look_alikes() {
    // an access log's status and size after a phone-context word in the request
    untouched(
        "gw.internal - - [01/Jan/2025] \"GET /sms/status?id=7 HTTP/1.1\" 404 5203 \"-\" \"curl\"",
    );
    untouched("h - - [01/Jan/2025] \"GET /account/acct HTTP/1.1\" 200 93824 \"-\" \"curl\"");
    // bad-checksum IBAN (its digit groups are not a card either)
    untouched("ref DE00 4111 1111 1111 1111 00 rejected");
    // partial IPv4-mapped IPv6
    untouched("peer ::ffff:192.168.1 truncated");
    // ids, hashes, versions, timestamps, order numbers, non-Luhn 16 digits
    untouched("trace 4bf92f3577b34da6a3ce929d0e0e4736 span 00f067aa0ba902b7");
    untouched("build 20240511.3 version 4.18.2-rc1 at 1715430000123");
    untouched("order ORD-901421635970 shipped");
    untouched("id 4111111111111112 not a card");
    untouched("service_name=Payments hostname=Web01 file_name=Report.pdf");
    untouched("patient record updated by cron");
    untouched("address lookup took 35 ms");
    untouched("dob check skipped; birth certificate uploaded");
}

#[test]
fn url_encoded_values_in_access_logs_and_form_bodies() {
    let get = "lb - - [02/Apr/2025:08:15:00 +0000] \"GET /kyc?";
    let tail = "&lang=en HTTP/1.1\" 302 0 \"-\" \"okhttp/4.12.0\"";
    found(&format!("{get}social_security="), "219%2D48%2D7730", tail);
    found(&format!("{get}contact="), "li.wei%40example.net", tail);
    found(&format!("{get}cc="), "5425+2334+3010+9903", tail);
    found(&format!("{get}ship_to="), "Apt+4,+118+Elm+Avenue", tail);
    found("POST body: holder=", "Jonas+Berg,+MBA", "&next=%2Fdone");
    untouched(
        "lb - - [02/Apr/2025:08:15:00 +0000] \"GET /q?term=c%2B%2B+tutorial&p=3 HTTP/1.1\" 200 91",
    );
    untouched("deploy v2.4+build7 at 2025-04-02T08:15:00+00:00 (50% rollout)");
}

#[test]
fn x_headers_placeholders_and_command_lines() {
    found("X-Passport-Number: ", "K7Q204581", "");
    found("> X-Dl-No: ", "D4410-3389-207", "");
    untouched("X-Correlation-Id: K7Q204581");
    untouched("HF_TOKEN: hf_xxx");
    untouched("STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx");
    untouched("rsync -az -e ssh ./dist/ release@web-3.example.org:/var/www");
    found(
        "Authorization: ShippoToken ",
        "shippo_live_7d1e0c5b93a8f24e6b0d9c1a5f3e8b7d2c4a6f90",
        "",
    );
}
