// GET /api/v1/stats: what the dashboard shows, computed for the caller.
//
// Every number is counted over what the caller may read — events, indicator
// links and alerts through MayRead (Visible / AlertVisible), operations
// through StealerOperationVisible, requests through ListRequests — so the
// dashboard never reveals, even as a count, data the API would refuse.
//
// `days` (1..366, default 30) sets the time lines' length, ending today (UTC).
// The counts are read on each call; on a node with millions of indicators
// that is a walk of the links' covering index (ForEachIndicatorFact), which
// is why the UI loads it once per visit rather than polling it.
#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include "core/family_tag.h"
#include "match/match.h"
#include "requests/request_ops.h"
#include "server/rest_common.h"

namespace accord::server::rest {
namespace {

constexpr int64_t kDefaultDays = 30;
constexpr int64_t kMaxDays = 366;
constexpr size_t kTopFamilies = 10;

struct Family {
  int64_t alerts = 0;
  int64_t indicators = 0;  // distinct live values of the events tagged with it
  std::string spelling;    // as first seen, for display
};

// Families are compared without case ("RedLine" and "redline" are one).
std::string FamilyKey(std::string family) {
  std::transform(family.begin(), family.end(), family.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return family;
}

class Stats {
 public:
  Stats(RequestContext& ctx, TimePoint now, int64_t days) : ctx_(ctx), now_(now) {
    const std::string today = FormatTimestamp(now).substr(0, 10);
    today_ = today;
    for (int64_t i = days - 1; i >= 0; --i) {
      const std::string day =
          FormatTimestamp(now - std::chrono::hours(24) * static_cast<int>(i)).substr(0, 10);
      timeline_[day];  // every day present, zeros included
    }
  }

  Status CountEvents() {
    return ctx_.store->ForEachEvent(EventFilter{}, [&](const EventSummary& event) {
      if (!Visible(ctx_, event)) return Status::Ok();
      ++events_;
      visible_events_.push_back(event.id);
      for (const std::string& tag : event.tags) {
        if (std::optional<std::string> family = MalwareFamilyFromTag(tag)) {
          event_families_[event.id].push_back(&Of(*family));
        }
      }
      return Status::Ok();
    });
  }

  // A value linked by several events counts once, in the total and in each
  // family whose events hold it live (the "Live indicators" the dashboard
  // shows): facts arrive in observable order, so each value's links are one
  // run. Needs CountEvents first (the visible events, in id order).
  Status CountIndicators() {
    const std::string window_start = timeline_.begin()->first;
    int64_t run_observable = 0;
    bool run_live = false;
    bool run_recent = false;
    std::vector<Family*> run_families;
    auto close_run = [&] {
      if (run_live) ++live_indicators_;
      for (Family* family : run_families) ++family->indicators;
      run_families.clear();
      if (run_recent) {
        auto day = timeline_.find(run_day_);
        if (day != timeline_.end()) ++day->second.indicators;
      }
    };
    Status status = ctx_.store->ForEachIndicatorFact(
        FormatTimestamp(now_), [&](const IndicatorFact& fact) {
          if (!std::binary_search(visible_events_.begin(), visible_events_.end(), fact.event_id)) {
            return Status::Ok();
          }
          if (fact.observable_id != run_observable) {
            close_run();
            run_observable = fact.observable_id;
            run_live = false;
            run_recent = false;
          }
          run_live = run_live || fact.live;
          if (auto tagged = event_families_.find(fact.event_id); fact.live && tagged != event_families_.end()) {
            for (Family* family : tagged->second) {
              if (std::find(run_families.begin(), run_families.end(), family) == run_families.end()) {
                run_families.push_back(family);
              }
            }
          }
          if (!run_recent && fact.stored_day >= window_start) {
            run_recent = true;
            run_day_ = fact.stored_day;
          }
          return Status::Ok();
        });
    RETURN_IF_ERROR(status);
    close_run();
    return Status::Ok();
  }

  // Counted per group of alerts that share who may read them, the day,
  // country, acknowledgement and families (the store's tally): on a node
  // with hundreds of thousands of alerts, reading each row was most of the
  // dashboard's time.
  Status CountAlerts() {
    return ForEachReadableAlertTally(ctx_, AlertFilter{}, true, [&](const AlertTally& tally) {
      alerts_ += tally.count;
      // By when telemetry hit (last_seen), not when the node stored the
      // alert: a log replayed today from last month is not today's alerts.
      if (tally.last_seen_day == today_) alerts_today_ += tally.count;
      if (!tally.acknowledged) unacknowledged_ += tally.count;
      if (!tally.country.empty()) alerts_by_country_[tally.country] += tally.count;
      auto day = timeline_.find(tally.last_seen_day);
      if (day != timeline_.end()) day->second.alerts += tally.count;
      for (const std::string& family : AlertTallyFamilies(ctx_, tally)) Of(family).alerts += tally.count;
      return Status::Ok();
    });
  }

  Status CountVictims() {
    ASSIGN_OR_RETURN(std::vector<StealerOperation> operations, ctx_.store->ListStealerOperations());
    for (const StealerOperation& operation : operations) {
      ASSIGN_OR_RETURN(bool visible, StealerOperationVisible(ctx_, operation));
      if (!visible) continue;
      ++operations_;
      std::map<std::string, int64_t> by_country;
      RETURN_IF_ERROR(
          ctx_.store->ForEachStealerVictim(operation.id, [&](const StealerVictimRow& victim) {
            ++victims_;
            if (!victim.country.empty()) ++by_country[victim.country];
            return Status::Ok();
          }));
      for (const auto& [country, n] : by_country) victims_by_country_[country] += n;
      operation_victims_.push_back({{"name", operation.name}, {"victims_by_country", by_country}});
    }
    return Status::Ok();
  }

  Status CountRequests() {
    ASSIGN_OR_RETURN(std::vector<RequestRow> rows,
                     requests::ListRequests(*ctx_.store, ctx_.principal, requests::ListOptions{}));
    ASSIGN_OR_RETURN(std::vector<Organisation> orgs, ctx_.store->ListOrganisations());
    for (const RequestRow& row : rows) {
      Result<requests::State> state = requests::ParseState(row.state);
      if (!state.ok()) continue;
      if (*state == requests::State::kDraft) {
        ++drafts_;
        continue;
      }
      if (requests::IsTerminal(*state)) continue;
      ++open_requests_;
      const json listed = requests::RequestJson(row, orgs, now_);
      auto deadline = listed.find("deadline");
      if (deadline != listed.end() && deadline->is_object() && deadline->value("overdue", false)) {
        ++overdue_requests_;
      }
    }
    return Status::Ok();
  }

  json ToJson(int64_t days) const {
    json timeline = json::array();
    for (const auto& [day, counts] : timeline_) {
      timeline.push_back({{"day", day}, {"alerts", counts.alerts}, {"indicators", counts.indicators}});
    }
    std::vector<const Family*> families;
    for (const auto& [key, family] : families_) {
      // Tagged events with nothing live and no alert: nothing to show.
      if (family.alerts > 0 || family.indicators > 0) families.push_back(&family);
    }
    // The families that alerted first: an alert is what an analyst acts on.
    std::sort(families.begin(), families.end(), [](const Family* a, const Family* b) {
      if (a->alerts != b->alerts) return a->alerts > b->alerts;
      if (a->indicators != b->indicators) return a->indicators > b->indicators;
      return a->spelling < b->spelling;
    });
    if (families.size() > kTopFamilies) families.resize(kTopFamilies);
    json top = json::array();
    for (const Family* f : families) {
      top.push_back({{"family", f->spelling}, {"alerts", f->alerts}, {"indicators", f->indicators}});
    }
    return {
        {"generated", FormatTimestamp(now_)},
        {"days", days},
        {"counts",
         {{"events", events_},
          {"live_indicators", live_indicators_},
          {"alerts", alerts_},
          {"alerts_today", alerts_today_},
          {"alerts_unacknowledged", unacknowledged_},
          {"operations", operations_},
          {"victims", victims_},
          {"open_requests", open_requests_},
          {"overdue_requests", overdue_requests_},
          {"draft_requests", drafts_}}},
        {"alerts_by_country", alerts_by_country_},
        {"victims_by_country", victims_by_country_},
        {"operations", operation_victims_},
        {"timeline", std::move(timeline)},
        {"top_families", std::move(top)},
    };
  }

 private:
  struct DayCounts {
    int64_t alerts = 0;
    int64_t indicators = 0;
  };

  Family& Of(const std::string& spelling) {
    Family& family = families_[FamilyKey(spelling)];
    if (family.spelling.empty()) family.spelling = spelling;
    return family;
  }

  RequestContext& ctx_;
  TimePoint now_;
  std::string today_;
  std::map<std::string, DayCounts> timeline_;
  std::map<std::string, Family> families_;  // node-based: the pointers below stay valid
  std::map<int64_t, std::vector<Family*>> event_families_;  // visible events with family tags
  std::map<std::string, int64_t> alerts_by_country_;
  std::vector<int64_t> visible_events_;  // ids, ascending
  std::string run_day_;                  // CountIndicators: the current value's stored day
  std::map<std::string, int64_t> victims_by_country_;
  json operation_victims_ = json::array();
  int64_t events_ = 0, live_indicators_ = 0, alerts_ = 0, alerts_today_ = 0, unacknowledged_ = 0;
  int64_t operations_ = 0, victims_ = 0, open_requests_ = 0, overdue_requests_ = 0, drafts_ = 0;
};

Status GetStats(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  int64_t days = kDefaultDays;
  if (req.has_param("days")) {
    const std::string text = req.get_param_value("days");
    char* end = nullptr;
    const long long parsed = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || parsed < 1 || parsed > kMaxDays) {
      return Status::Invalid("days: expected a whole number from 1 to " +
                                     std::to_string(kMaxDays) + ", got '" + text + "'");
    }
    days = parsed;
  }
  Stats stats(ctx, ctx.state->clock.Now(), days);
  RETURN_IF_ERROR(stats.CountEvents());
  RETURN_IF_ERROR(stats.CountIndicators());
  RETURN_IF_ERROR(stats.CountAlerts());
  RETURN_IF_ERROR(stats.CountVictims());
  RETURN_IF_ERROR(stats.CountRequests());
  SendJson(res, 200, stats.ToJson(days));
  return Status::Ok();
}

}  // namespace

void RegisterStatsRoutes(httplib::Server& http, ServerState& state) {
  http.Get("/api/v1/stats", Route(state, GetStats));
  RegisterAllowedMethods(http, "/api/v1/stats", {"GET"});
}

}  // namespace accord::server::rest
