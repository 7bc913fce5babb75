import Testing

@testable import Sigma

/// The condition parser: precedence not > and > or, parentheses, quantifiers, and bounds.
@Suite("Sigma conditions")
struct SigmaConditionTests {
    let names = ["selection", "filter_a", "filter_b", "keywords", "_hidden"]

    func parse(_ text: String) throws -> SigmaCondition {
        try SigmaConditionParser.parse(text, names: names)
    }

    @Test func precedenceIsNotThenAndThenOr() throws {
        #expect(try parse("selection or filter_a and not filter_b") == .or([.ref(0), .and([.ref(1), .not(.ref(2))])]))
        #expect(try parse("(selection or filter_a) and keywords") == .and([.or([.ref(0), .ref(1)]), .ref(3)]))
        #expect(try parse("not not selection") == .not(.not(.ref(0))))
    }

    @Test func quantifiersExpandPatternsAndThem() throws {
        #expect(try parse("selection and not 1 of filter_*") == .and([.ref(0), .not(.atLeast(1, [1, 2]))]))
        #expect(try parse("all of filter*") == .all([1, 2]))
        // `them` leaves out identifiers that start with an underscore.
        #expect(try parse("1 of them") == .atLeast(1, [0, 1, 2, 3]))
        #expect(try parse("all of them") == .all([0, 1, 2, 3]))
    }

    @Test func evaluationFollowsTheTree() throws {
        let c = try parse("selection and not 1 of filter_*")
        #expect(c.evaluate { $0 == 0 })
        #expect(!c.evaluate { $0 == 0 || $0 == 2 })
        #expect(!c.evaluate { _ in false })
        #expect(try parse("all of filter_*").evaluate { $0 == 1 || $0 == 2 })
        #expect(!(try parse("all of filter_*").evaluate { $0 == 1 }))
    }

    @Test(arguments: [
        ("selection and", "rule.condition"), ("selection filter_a", "rule.condition"), ("(selection", "rule.condition"),
        ("unknown_sel", "rule.condition"), ("1 of nothing_*", "rule.condition"), ("", "rule.condition"),
        ("selection | count() > 5", "rule.aggregation"), ("selection | near filter_a", "rule.aggregation"),
        ("two of them", "rule.condition"),
    ])
    func badConditionsAreRejectedWithACode(_ text: String, _ code: String) {
        #expect(throws: SigmaConditionError.self) { try parse(text) }
        do {
            _ = try parse(text)
        } catch let error as SigmaConditionError {
            #expect(error.code == code, "\(text): \(error.message)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func deepNestingIsBoundedNotACrash() throws {
        let deep = String(repeating: "(", count: 10_000) + "selection" + String(repeating: ")", count: 10_000)
        #expect(throws: SigmaConditionError.self) { try parse(deep) }
        let nots = String(repeating: "not ", count: 5_000) + "selection"
        #expect(throws: SigmaConditionError.self) { try parse(nots) }
        let ok = String(repeating: "(", count: 30) + "selection" + String(repeating: ")", count: 30)
        #expect(try parse(ok) == .ref(0))
    }

    @Test func hugeConditionIsRejected() {
        let huge = Array(repeating: "selection", count: 5_000).joined(separator: " or ")
        #expect(throws: SigmaConditionError.self) { try parse(huge) }
    }
}
