#include "clients/quorum.h"

#include <algorithm>
#include <mutex>
#include <utility>

#include "common/parallel.h"

namespace segverify::clients {
namespace {

// Runs `job(i)` for every source concurrently (one thread each: sources are slow in different
// ways) and returns the results in source order.
template <typename T, typename Job>
std::vector<Result<T>> ForEachSource(std::size_t count, Job job) {
  std::vector<Result<T>> results(count, Result<T>(Error{"internal error: source not run", ProblemKind::kInternal}));
  RunParallel(count, static_cast<unsigned>(count), [&results, &job](std::size_t i) {
    try {
      results[i] = job(i);
    } catch (const std::exception& e) {  // exceptions never escape the library
      results[i] = Error{std::string("internal error: ") + e.what(), ProblemKind::kInternal};
    }
  });
  return results;
}

// Addresses per Balances call (see quorum.h). Each call costs a few requests of its own (the pin
// is checked around it), so chunks stay large: about a twentieth of the addresses, at least 20
// Ethereum batches or 50 Esplora addresses. Small queries are one call, as before chunking.
std::size_t ChunkSize(SourceType type, std::size_t addresses, const SourceOptions& options) {
  const std::size_t twentieth = (addresses + 19) / 20;
  switch (type) {
    case SourceType::kBitcoinCore:
      break;
    case SourceType::kEthereum: {
      const std::size_t batch = std::max<std::size_t>(1, options.eth_batch_size);
      const std::size_t batches = std::max<std::size_t>(20, (twentieth + batch - 1) / batch);
      return batches * batch;
    }
    case SourceType::kEsplora:
      return std::max<std::size_t>(50, twentieth);
  }
  return std::max<std::size_t>(1, addresses);
}

// One source's balances, read chunk by chunk; `on_chunk(n)` after each chunk of n addresses.
Result<std::vector<u128>> ReadInChunks(ChainSource& source, std::size_t chunk, const BalanceQuery& query,
                                       const std::string& hash, const std::function<void(std::size_t)>& on_chunk) {
  if (query.addresses.size() <= chunk) {
    auto all = source.Balances(query.addresses, query.assets, query.height, hash);
    if (all) on_chunk(query.addresses.size());
    return all;
  }
  std::vector<u128> out;
  out.reserve(query.addresses.size() * query.assets.size());
  for (std::size_t begin = 0; begin < query.addresses.size(); begin += chunk) {
    const std::size_t end = std::min(query.addresses.size(), begin + chunk);
    const std::vector<AddressSpec> part(query.addresses.begin() + static_cast<std::ptrdiff_t>(begin),
                                        query.addresses.begin() + static_cast<std::ptrdiff_t>(end));
    auto balances = source.Balances(part, query.assets, query.height, hash);
    if (!balances) return balances.error();
    if (balances->size() != part.size() * query.assets.size()) {
      return Error{"internal error: source answered the wrong number of balances", ProblemKind::kInternal};
    }
    out.insert(out.end(), balances->begin(), balances->end());  // address-major: chunks concatenate
    on_chunk(part.size());
  }
  return out;
}

// The failure of every source whose result is an Error, each with its source index (the first is
// the Error, the rest its `others`); nullopt when every source answered.
template <typename T>
std::optional<Error> FailedSources(const std::vector<Result<T>>& results) {
  std::optional<Error> out;
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (results[i]) continue;
    Error failed = results[i].error().AtSource(i);
    if (out) {
      out->others.push_back(std::move(failed));
    } else {
      out = std::move(failed);
    }
  }
  return out;
}

}  // namespace

std::string Disagreement::Describe() const {
  return "sources disagree on " + subject + (asset.empty() ? "" : " " + asset) + ": " + source_a + " says " + value_a +
         ", " + source_b + " says " + value_b;
}

Result<ChainBalances> ReadChainBalances(const BalanceQuery& query, const std::vector<SourceConfig>& sources,
                                        const TransportFactory& transports, const SourceOptions& options,
                                        const ProgressCallback& progress) {
  const std::string chain_name = query.chain_name.empty() ? std::string(ToString(query.chain)) : query.chain_name;
  if (sources.empty()) return Error{chain_name + ": no source configured", ProblemKind::kInput};
  if (query.assets.empty()) return Error{chain_name + ": no asset to read", ProblemKind::kInput};
  std::vector<std::unique_ptr<ChainSource>> clients;
  ChainBalances out;
  out.chain = chain_name;
  out.height = query.height;
  std::vector<Result<std::unique_ptr<ChainSource>>> made;
  for (const auto& config : sources) {
    if (ChainOf(config.type) != query.chain) {
      return Error{
          Display(config) + ": a " + std::string(ToString(config.type)) + " source cannot serve chain " + out.chain,
          ProblemKind::kInput};
    }
    made.push_back(MakeChainSource(config, transports, options));
  }
  if (auto failed = FailedSources(made)) return *failed;
  for (auto& source : made) {
    out.sources.push_back((*source)->name());
    clients.push_back(std::move(source.value()));
  }
  const std::string step = out.chain + ": reading balances";
  const std::uint64_t total = static_cast<std::uint64_t>(query.addresses.size()) * clients.size();
  // Sources advance concurrently; one lock keeps the reported count from going backwards.
  std::mutex progress_mutex;
  std::uint64_t done = 0;
  auto advance = [&](std::size_t addresses) {
    std::lock_guard lock(progress_mutex);
    done += addresses;
    if (progress) progress(step, done, total);
  };

  auto pins = ForEachSource<PinnedBlock>(clients.size(), [&](std::size_t i) -> Result<PinnedBlock> {
    if (Status s = clients[i]->CheckNetwork(); !s) return s.error();
    return clients[i]->PinBlock(query.height);
  });
  if (auto failed = FailedSources(pins)) return *failed;
  const std::string block = "block " + std::to_string(query.height);
  for (std::size_t i = 1; i < clients.size(); ++i) {
    if (pins[i]->hash != pins[0]->hash) {
      out.disagreements.push_back({block, "", out.sources[0], pins[0]->hash, out.sources[i], pins[i]->hash});
    } else if (pins[i]->time != pins[0]->time) {
      // The same header cannot have two timestamps: one source misreports it.
      out.disagreements.push_back({block + " time", "", out.sources[0], std::to_string(pins[0]->time), out.sources[i],
                                   std::to_string(pins[i]->time)});
    }
  }
  if (!out.disagreements.empty()) return out;  // no pin: no balance can be read
  out.block_hash = pins[0]->hash;
  out.block_time = pins[0]->time;
  if (progress) progress(step, 0, total);

  auto balances = ForEachSource<std::vector<u128>>(clients.size(), [&](std::size_t i) -> Result<std::vector<u128>> {
    const std::size_t chunk = ChunkSize(sources[i].type, query.addresses.size(), options);
    return ReadInChunks(*clients[i], chunk, query, out.block_hash, advance);
  });
  if (auto failed = FailedSources(balances)) return *failed;
  for (const auto& b : balances) {
    if (b->size() != query.addresses.size() * query.assets.size()) {
      return Error{"internal error: source answered the wrong number of balances", ProblemKind::kInternal};
    }
  }
  for (const auto& client : clients) {
    for (const auto& [symbol, slot] : client->FoundBalanceSlots()) out.balance_slots.emplace(symbol, slot);
  }
  for (std::size_t a = 0; a < query.addresses.size(); ++a) {
    for (std::size_t s = 0; s < query.assets.size(); ++s) {
      std::size_t k = a * query.assets.size() + s;
      bool agreed = true;
      for (std::size_t i = 1; i < clients.size(); ++i) {
        if ((*balances[i])[k] != (*balances[0])[k]) {
          agreed = false;
          out.disagreements.push_back({query.addresses[a].address, query.assets[s].symbol, out.sources[0],
                                       U128ToDecimal((*balances[0])[k]), out.sources[i],
                                       U128ToDecimal((*balances[i])[k])});
        }
      }
      if (agreed) out.balances.push_back({query.addresses[a].address, query.assets[s].symbol, (*balances[0])[k]});
    }
  }
  return out;
}

}  // namespace segverify::clients
