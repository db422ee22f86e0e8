#include "migrate/flow_steps.h"

namespace ladder::migrate {

Expected<bool> accept_old_lock(channel::Channel& old_channel, const channel::Lock& lock, btc::Amount amount,
                               uint32_t expiry, FlowOutput& out) {
  if (lock.amount == amount && lock.expiry == expiry) return true;
  LADDER_ASSIGN(auto fail, old_channel.fail(lock.id, "migrate.leg-mismatch"));
  out.channel.push_back({old_channel.id(), channel::Message(std::move(fail))});
  out.event(FlowEventKind::failed, "migrate.leg-mismatch");
  return false;
}

Expected<FlowOutput> take_handover(const Handover& msg, const MigrationId& id, uint64_t factory,
                                   const crypto::PubKey& client_key, KeyVault& vault) {
  if (msg.id != id) return make_error("migrate.wrong-migration", "handover for another migration");
  LADDER_ASSIGN(auto ack, accept_handover(msg, factory, client_key, vault));
  FlowOutput out;
  out.to_peer.push_back(ack);
  out.event(FlowEventKind::key_learned);
  out.event(FlowEventKind::handed_over);
  return out;
}

FlowOutput client_handover(RevealGate& gate, channel::Channel& old_channel, const MigrationId& id, uint64_t factory,
                           const crypto::SecretKey& factory_key, ClientKeyLedger& ledger, bool& sent) {
  if (sent) return FlowOutput{};
  bool ready = false;
  FlowOutput out = gate.check(old_channel, std::nullopt, id, ready);
  if (!ready) return out;
  auto h = make_handover(id, factory, old_channel, factory_key, true, ledger);
  if (!h) {
    out.event(FlowEventKind::reveal_blocked, h.error().code);
    return out;
  }
  sent = true;
  out.to_peer.push_back(std::move(*h));
  return out;
}

Expected<FlowOutput> leave_quiescence(const RevealBlocked& msg, const MigrationId& id, channel::Channel& old_channel) {
  if (msg.id != id) return make_error("migrate.wrong-migration", "for another migration");
  LADDER_TRY(old_channel.resume());
  return FlowOutput{};
}

void raise_client_deadline(FlowOutput& out, bool& raised, uint32_t tip, uint32_t t_in,
                           const channel::Channel& old_channel) {
  if (raised || tip < t_in || old_channel.outgoing_locks().empty()) return;
  raised = true;  // L neither settled nor failed the old lock: time it out on chain
  out.event(FlowEventKind::must_enforce, "migrate.leg-expired");
}

void raise_lsp_deadline(FlowOutput& out, bool& raised, uint32_t tip, const LegContext& legs, uint32_t t_in) {
  if (raised || uint64_t{tip} + legs.x_old + legs.cutoff < t_in) return;
  raised = true;  // the client did not take the settle in time: settle on chain
  out.event(FlowEventKind::must_enforce, "migrate.leg-deadline");
}

}  // namespace ladder::migrate
