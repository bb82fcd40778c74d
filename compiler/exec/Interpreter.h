// The interpreter: walks checked statements, binds names to values and grows
// the lazy graph. Array values stay lazy graph nodes until their memory is
// needed; then fusion plans kernels and the JIT runs them.
//
// Invariants:
//  - before any write into an array's memory, every live lazy object that
//    reads that memory is materialized (laziness never changes meaning);
//  - a kernel that writes into an existing array never reads a partially
//    overlapping view of it (such inputs are copied first);
//  - all user errors are RavelError with the span of the failing operation.
#pragma once

#include "compiler/diag/Diagnostic.h"
#include "compiler/exec/CallPlan.h"
#include "compiler/exec/Value.h"
#include "compiler/fusion/Fuse.h"
#include "compiler/fusion/KernelProvider.h"
#include "compiler/graph/Graph.h"
#include "runtime/Gather.h"
#include "runtime/Print.h"

#include <atomic>
#include <functional>
#include <iosfwd>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

namespace ravel::exec {

/// Fused kernels a single elementwise kernel may hold before the planner
/// materializes an operand (LLVM compile time grows quickly past this).
constexpr int kMaxFusedOps = 256;

/// What one kernel launch did, for `explain`.
struct LaunchRecord {
  std::string text;      // fusion::dumpLaunch
  fusion::Kernel kernel; // as compiled (layouts filled in)
  Span span;             // statement that forced it
  std::vector<std::string> inputNames;
  int elementwiseOps = 0; // fused elementwise ops (NumPy would make a temporary for each)
  std::string routine;    // a product's BLAS routine ("cblas_dgemm x8 in 8 row panels ...")
  int64_t bytesRead = 0, bytesWritten = 0, bytesAllocated = 0, numpyTemporaryBytes = 0;
  // Per input, for the dot graph: bytes read, whether the input is a view
  // of another array's memory, and the record whose result it is (-1: none).
  std::vector<int64_t> inputBytes;
  std::vector<bool> inputIsView;
  std::vector<std::string> inputViewOf; // the global a view input looks into, or empty
  std::vector<int> inputFromRecord;
  std::string outType;           // "float64 (1000,)"
  const char* outData = nullptr; // the result's memory: which globals hold it (never printed)
};

class Interpreter {
public:
  explicit Interpreter(fusion::KernelProvider& kernelProvider);
  ~Interpreter();

  void setOutput(std::ostream& out) { out_ = &out; }
  /// Dry run (explain): plan every kernel but run none; print nothing.
  void setDryRun(bool dry) {
    // A dry run's reduction results are placeholders: forget them after it.
    if (dryRun_ && !dry) reductions_.clear();
    dryRun_ = dry;
  }
  bool dryRun() const { return dryRun_; }
  /// Explaining: notes are kept (note()).
  bool recording() const { return recording_; }
  /// Keep a LaunchRecord per kernel launch (explain, --emit); off by default
  /// so a long session's hot loop pays nothing for it.
  void setRecording(bool on) { recording_ = on; }
  /// Ahead-of-time mode (`ravel compile` and the programs it builds): a
  /// kernel's numeric constants become 0-d inputs (constantsToInputs), so
  /// the kernel compiled for one size serves every size: a mean's divisor
  /// or a linspace step no longer makes a new kernel.
  void setAheadOfTime(bool on) { aheadOfTime_ = on; }
  /// Runs a program's statements in order. `echo` prints the repr of each
  /// expression statement's value, like Python's REPL.
  void run(const ast::Program& program, bool echo);
  void runStatement(const ast::Stmt& stmt, bool echo);
  /// Computes the program's results: the lazy globals no other lazy global
  /// reads (what escapes a script). Intermediates stay unmaterialized.
  void materializeResults();
  /// Views made and copies forced, for explain.
  struct Note {
    Span span;
    std::string text;
  };
  const std::vector<Note>& notes() const { return notes_; }
  void note(Span span, std::string text) {
    if (recording_) notes_.push_back({span, std::move(text)});
  }
  /// How spans become line numbers (the engine owns the sources).
  void setLineResolver(std::function<int(Span)> lineOf) { lineOf_ = std::move(lineOf); }
  /// Where warnings go (std::cerr unless set), and the sources they are
  /// rendered against.
  void setWarningOutput(std::ostream& err) { err_ = &err; }
  /// A Python warning of `category` ("UserWarning"), shown once per
  /// (message, file, line) like Python's default filter.
  void warn(const char* category, const std::string& message, Span span);
  void setSourceResolver(std::function<const Source*(uint32_t)> sourceOf) {
    sourceOf_ = std::move(sourceOf);
  }

  /// NumPy's floating-point error handling (seterr, errstate): what each
  /// category of event does. Underflow is kept and returned, never detected.
  enum class FpMode : uint8_t { Ignore, Warn, Raise, Print };
  struct FpModes {
    FpMode divide = FpMode::Warn, over = FpMode::Warn, under = FpMode::Ignore,
           invalid = FpMode::Warn;
  };
  const FpModes& fpModes() const { return fp_; }
  /// np.set_printoptions' state: how str() and repr() print arrays.
  const PrintOptions& printOptions() const { return print_; }
  void setPrintOptions(const PrintOptions& options) { print_ = options; }
  /// Changes the modes. Lazy values made under the old modes are computed
  /// first, so each operation is checked under the modes of its statement.
  void setFpModes(const FpModes& modes, Span span);
  /// explain's report of launches and notes since the given indices.
  /// For one statement, `bound` names the variables it assigned.
  std::string describe(size_t firstLaunch, size_t firstNote, bool wholeProgram,
                       const std::vector<std::string>& bound = {}) const;
  /// The same launches as a Graphviz digraph (ExplainDot.cpp).
  std::string describeDot(const std::string& title, size_t firstLaunch, size_t firstNote) const;
  /// The value bound to a global, or nullptr.
  const Value* global(const std::string& name) const {
    auto it = globals_.find(name);
    return it == globals_.end() ? nullptr : &it->second;
  }
  /// Names bound at global scope (the REPL's session variables).
  std::vector<std::string> globalNames() const;
  bool isGlobal(const std::string& name) const { return globals_.count(name) != 0; }
  const std::vector<LaunchRecord>& launches() const { return launches_; }
  /// Variables whose arrays were never materialized / were materialized.
  std::vector<std::string> lazyGlobals() const;
  std::vector<std::string> materializedGlobals() const;
  /// Graph roots of the lazy global arrays (for --emit=graph).
  std::vector<std::pair<std::string, graph::NodeRef>> lazyRoots() const;

  // --- the embedding API (compiler/api) ---
  /// Binds a global to a host value (an array is bound without a copy).
  void bindGlobal(const std::string& name, Value v) { globals_[name] = std::move(v); }
  void unbindGlobal(const std::string& name) { bindingsErased_ += globals_.erase(name); }
  /// `callee(*args)` for a `def` value, as a call in ravel code would do it.
  Value callUserFunction(const Value& callee, std::vector<Value> args, Span span) {
    std::vector<std::pair<std::string, Value>> kwargs;
    return callFunction(callee, args, kwargs, span);
  }
  /// callUserFunction with the result computed: an array result is
  /// materialized, or written into `target` (as `target[...] = f(...)`,
  /// which then returns None). A call whose signature was recorded before
  /// replays that call's kernels on the new arguments (CallPlan.h).
  Value callCompiled(const Value& callee, std::vector<Value> args, const Array* target, Span span);
  /// Calls answered by replaying a recorded plan, and plans recorded.
  int64_t callsReplayed() const { return callsReplayed_; }
  int64_t callsRecorded() const { return callsRecorded_; }
  /// Values inside loops computed by replaying a recorded plan (computeByPlan).
  int64_t loopValuesReplayed() const { return loopValuesReplayed_; }

  // --- used by the builtin and indexing helpers (same component) ---
  /// Tells frames apart for caches of pointers into their `locals`
  /// (StatementSite): no two frames hold the same id at once. A copy gets a
  /// new one (its map has new nodes); a move takes it along with the map's
  /// nodes and leaves the moved-from frame a new one.
  struct FrameId {
    uint64_t value = fresh();
    FrameId() = default;
    FrameId(const FrameId&) : value(fresh()) {}
    FrameId(FrameId&& o) noexcept : value(o.value) { o.value = fresh(); }
    FrameId& operator=(const FrameId&) {
      value = fresh();
      return *this;
    }
    FrameId& operator=(FrameId&& o) noexcept {
      value = o.value;
      o.value = fresh();
      return *this;
    }
    static uint64_t fresh() {
      static std::atomic<uint64_t> next{1};
      return next.fetch_add(1, std::memory_order_relaxed);
    }
  };
  struct Frame {
    std::map<std::string, Value> locals;
    bool global = true;
    Value returned; // set by `return` (Flow::Return)
    FrameId id;
  };
  /// How a statement ended: normally, or by break/continue/return, which
  /// unwind to the enclosing loop or call.
  enum class Flow : uint8_t { Normal, Break, Continue, Return };
  /// Calls `body` with each item `for x in v` would bind, in order, until
  /// it returns false: range, tuple, list, str, or an array's rows (views;
  /// NumPy scalars for a 1-d array). Python's TypeError otherwise.
  void forEachItem(const Value& v, Span span, const std::function<bool(Value)>& body);
  /// Every item of an iterable, as `list(v)` makes them.
  std::vector<Value> itemsOf(const Value& v, Span span);
  /// `format(v, spec)` for an f-string field, Python's format mini-language.
  std::string formatValue(const Value& v, const std::string& spec, Span span);
  Value eval(const ast::Expr& e, Frame& f);
  /// The object's memory, computing it if lazy. For a lazy view this
  /// computes its base, so a write through the result reaches every alias.
  /// `ran` (optional) receives the plan computing a lazy object ran.
  Array materialize(const ArrayRef& a, Span span, fusion::KernelPlan* ran = nullptr);
  /// The object's elements for reading only (printing): a lazy view's
  /// elements without computing its base. Never write into the result.
  Array readValues(const ArrayRef& a, Span span);
  /// A view of lazy `of` whose elements `folded` computes; `step` cuts it
  /// from `of`'s memory once that exists.
  Value lazyView(const ArrayRef& of, graph::NodeRef folded, ViewStep step);
  /// The graph node that reads a value (array or Python scalar as weak const).
  graph::NodeRef nodeOf(const Value& v, Span span);
  Value arrayValue(graph::NodeRef node, bool isScalar = false);
  Value materializedValue(Array a, bool isScalar = false);
  /// A view of `of`'s memory; `.base` of the result is `of`'s owner. A view
  /// of a NumPy scalar views a new 0-d array instead; a 0-d one is a scalar
  /// again unless `zeroDimStaysArray` (broadcast_to, `s[...]`).
  Value viewValue(const ArrayRef& of, Array view, bool zeroDimStaysArray = false);
  Value binary(graph::Op op, const Value& a, const Value& b, Span span);
  Value unary(graph::Op op, const Value& a, Span span);
  /// NumPy's around: x * 10**d, rint, / 10**d (divide and multiply swapped
  /// for d < 0); an int array is returned itself for d >= 0 (no copy, as
  /// NumPy) and rounds in float64 for d < 0.
  Value around(const Value& a, int64_t decimals, Span span);
  Value astype(const Value& v, DType t, Span span);
  /// A lazy reduction; with `keepdims` (of an operand with at least one
  /// axis) the reduced axes stay as length 1, still lazy: the launch that
  /// computes it lays them out as NumPy does (Launch.cpp).
  Value reduce(graph::Op op, const Value& v, const Value& axis, Span span, bool keepdims = false);
  Value mean(const Value& v, const Value& axis, Span span, bool keepdims = false);
  /// sum prod min max amin amax any all mean, as functions (args[0] is the
  /// array; a method's receiver is put there): NumPy's parameters, with
  /// keepdims; dtype= and out= are refused.
  Value reductionCall(const std::string& name, std::vector<Value>& args,
                      std::vector<std::pair<std::string, Value>>& kwargs, Span span);
  Value where(const Value& c, const Value& a, const Value& b, Span span);
  /// Writes `value` (broadcast, cast unsafely like NumPy's setitem) into `target`.
  /// `ran` (optional) receives the plan of the final write.
  void assignInto(const Array& target, const Value& value, Span span,
                  fusion::KernelPlan* ran = nullptr);
  Value callBuiltin(const std::string& name, std::vector<Value>& args,
                    std::vector<std::pair<std::string, Value>>& kwargs, Span span);
  Value attribute(const Value& obj, const std::string& attr, Span span);
  Value subscript(const Value& obj, const std::vector<Value>& index, Span span);
  /// `a[i, j]` with one integer per axis of a materialized array: the
  /// element as a new scalar, or nullopt for the general path.
  std::optional<Value> readElement(const Value& obj, const std::vector<Value>& index);
  /// `lazy[index]` without computing the elements the index drops.
  /// The elements of `lazy[index]` as a node over views of the graph's
  /// leaves, or null when that cannot be done (a tree of constants).
  graph::NodeRef viewOfLazy(const graph::NodeRef& root, const std::vector<Value>& index, Span span,
                            bool* isScalar);
  Array indexView(const Array& base, const std::vector<Value>& index, Span span, bool* isScalar);
  /// The array part of a subscript with integer arrays or masks, over the
  /// view its basic part makes of `base`; every index checked.
  AdvancedIndex resolveAdvancedIndex(const Array& base, const std::vector<Value>& index, Span span);
  /// `obj[index]` for an advanced index: a new array, as in NumPy.
  Value advancedSubscript(const ArrayRef& obj, const std::vector<Value>& index, Span span);
  /// `obj[index] = value` for an advanced index (last write wins on repeats).
  /// Takes the index by value: a lazy mask in it must be gone before the
  /// write, or protecting the target would compute it into memory.
  void advancedAssign(const ArrayRef& obj, std::vector<Value> index, const Value& value, Span span);
  /// `obj[index] op= rhs` for an advanced index, buffered like NumPy's.
  void advancedAugAssign(const ArrayRef& obj, std::vector<Value> index, graph::Op op,
                         const Value& rhs, Span span);
  std::string str(const Value& v);
  std::string repr(const Value& v);
  bool truthy(const Value& v, Span span);
  graph::Graph& graph() { return graph_; }
  std::ostream& out() { return *out_; }

  /// Python's binary operator `a op b`: two Python numbers give a Python
  /// number (ints unbounded up to 128 bits), anything else NumPy's ufunc.
  Value pyBinary(ast::BinaryOp op, const Value& a, const Value& b, Span span);

private:
  Flow exec(const ast::Stmt& s, Frame& f);
  Flow execStatement(const ast::Stmt& s, Frame& f);
  Flow execBlock(const std::vector<ast::StmtPtr>& body, Frame& f);
  Flow execWhile(const ast::WhileStmt& w, Frame& f);
  /// The value of `e` (an assigned value or a test inside a loop) computed:
  /// by the kernels an earlier evaluation recorded for the same operand
  /// signature, or evaluated, computed and recorded (StatementPlans.cpp).
  /// nullopt when `e` must simply be evaluated (not replayable, large).
  std::optional<Value> computeByPlan(const ast::Expr& e, Frame& f);
  /// `target = e` inside a loop (or %timeit) with e computed by plan as
  /// computeByPlan does, then bound to the name; false when e must simply be
  /// evaluated (nothing done). `computeAll`: the bound value is also
  /// computed through (forceArrays), as %timeit times it.
  bool assignByPlan(const ast::NameExpr& target, const ast::Expr& e, Frame& f,
                    bool computeAll = false);
  struct StatementSite;
  /// Both of the above: with a `target`, the value is bound to it; without,
  /// it is put in *value. False when e must simply be evaluated.
  bool computeAtSite(const ast::Expr& e, Frame& f, const ast::NameExpr* target, bool computeAll,
                     Value* value);
  /// The site's cached bindings brought up to date for `f` (StatementPlans.cpp).
  void refreshBindings(StatementSite& site, Frame& f, const ast::NameExpr* target);
  Flow execFor(const ast::ForStmt& s, Frame& f);
  /// `with errstate(...)`: the body under the new modes, the old ones after.
  Flow execWith(const ast::WithStmt& s, Frame& f);
  /// The end of one loop iteration (see ControlFlow.cpp for the policy).
  void endIteration(const ast::Stmt& loop, Frame& f, int64_t plansBefore);
  Value listComp(const ast::ListCompExpr& c, Frame& f);
  Value fstring(const ast::FStringExpr& s, Frame& f);
  /// A call's frame: arguments bound to parameters, defaults filled in.
  Frame bindArguments(const Value& callee, std::vector<Value>& args,
                      std::vector<std::pair<std::string, Value>>& kwargs, Span span);
  /// Runs a function body in its bound frame; the returned value.
  Value runBody(const ast::FunctionDefStmt& fn, Frame& frame, Span span);
  void assign(const ast::Expr& target, const Value& v, Frame& f);
  void augAssign(const ast::AugAssignStmt& s, Frame& f);
  /// a.flags.writeable = ...: locks an array, or unlocks one the program
  /// locked (NumPy's error for any other read-only array).
  void setWriteable(const ArrayRef& a, bool writeable, Span span);
  void timeit(const ast::MagicStmt& s, Frame& f);
  Value lookup(const ast::NameExpr& n, Frame& f);
  Value call(const ast::CallExpr& c, Frame& f);
  Value callFunction(const Value& callee, std::vector<Value>& args,
                     std::vector<std::pair<std::string, Value>>& kwargs, Span span);
  Value compare(const ast::CompareExpr& c, Frame& f);
  void inPlace(const Array& target, graph::NodeRef node, Span span, const char* ufunc);
  /// Materializes every live lazy object reading `buffer` (before a write to it).
  void protectBuffer(const Buffer* buffer);
  /// Fuses `node` (verifying graph and plan when verification is on).
  fusion::KernelPlan planKernels(const graph::NodeRef& node, std::optional<DType> targetDType);
  /// Runs the plan's launches (the last into `target`, else into *result).
  /// `leaves` (a replay, CallPlan.h) gives each leaf input's array instead
  /// of its node's; a replay remembers no reduction and records no launch,
  /// and takes its elementwise kernels from `kernels` while they are valid.
  void runPlan(const fusion::KernelPlan& plan, const Array* target, Array* result,
               const std::vector<std::vector<Array>>* leaves = nullptr,
               ReplayKernels* kernels = nullptr);
  /// The array a launch input reads: runPlan's resolver (launch, input).
  using LaunchInputOf = std::function<Array(size_t, size_t)>;
  /// Runs the row-panel group that launch `first` of `plan` leads
  /// (KernelLaunch::rowPanelsThrough) panel by panel, filling `results` for
  /// the group's launches; false, having run nothing, when an input of the
  /// group would not read the same way panel by panel (runPlan then runs
  /// the launches one after another). `remember`: results are remembered
  /// for later plans (not in a replay).
  bool runRowPanels(const fusion::KernelPlan& plan, size_t first, const LaunchInputOf& inputOf,
                    std::vector<Array>& results, int firstRecord, bool remember);
  /// Runs a recorded plan on new arguments (a call, or a loop's value):
  /// into `target`, else into a new `result`. False when the target is
  /// read-only (the general path reports it).
  bool replayCall(const CallPlan& plan, ArgRefs args, const Array* target, Span span,
                  Value& result);
  /// What `name` is bound to in `f` (its locals, then the session's
  /// globals), or null for NumPy's own name.
  const Value* binding(const std::string& name, const Frame& f) const;
  /// Whether every outside name the plan's code reads still means what it
  /// meant when the plan was recorded (GlobalRead).
  bool bindingsUnchanged(const CallPlan& plan, const Frame& f) const;
  /// Whether each of the body's callees, evaluated in `f`, only adds graph
  /// nodes: a replayable builtin, or a reduction method of an array.
  bool calleesOnlyAddNodes(const ReplayableBody& body, Frame& f);
  /// The fast replay of a one-launch elementwise plan (ReplayKernels::loop);
  /// false when it does not apply and replayCall runs the plan instead.
  /// `recycled` (no target): memory laid out as this plan's result that no
  /// one else can see, written instead of new memory (*result untouched).
  bool replayLoop(const CallPlan& plan, ArgRefs args, const Array* target, Array* result,
                  const Array* recycled = nullptr);
  /// Records a call that computed its result with the one plan `ran`.
  void recordCall(const ast::FunctionDefStmt& fn, CallSignature signature,
                  const fusion::KernelPlan& ran, const std::vector<Value>& args,
                  bool resultIsScalar);
  /// A full float sum over rows that NumPy's buffers would cut across: the
  /// values go to one temporary laid out in NumPy's iteration order first, so
  /// the sum adds them in NumPy's order.
  /// `original`/`originalInputs` receive the kernel and inputs as they were
  /// when it applies. Returns the error flags of the values' kernel.
  int64_t flattenSumInput(fusion::Kernel& kernel, std::vector<Array>& inputs, const Shape& iter,
                          int64_t& allocated, fusion::Kernel& original,
                          std::vector<Array>& originalInputs);
  /// After a launch of `kernel` (its layouts as run) returned `flags`: the
  /// floating-point events NumPy would report for it, reported under the
  /// current modes (FpErrors.cpp). `rerun` runs an exact copy of the kernel
  /// over the same operands and returns its flags (null: `kernel` was exact
  /// already). `reduced` is a float reduction's result, whose own overflow or
  /// NaN is NumPy's "encountered in reduce".
  void checkFp(const fusion::Kernel& kernel, int64_t flags, Span rootSpan,
               const std::function<int64_t(const fusion::Kernel&)>& rerun, const Array* reduced);
  /// One event (category, NumPy's message, where) under the current modes.
  void fpEvent(int category, const std::string& message, Span span);
  /// Reduction results by node, so a mean computed for one value is not
  /// recomputed for the next (nodes are interned; writes make new nodes).
  void rememberReduction(const graph::NodeRef& node, const Array& result);
  Array knownReduction(const graph::Node* node) const;
  fusion::KnownResults known() {
    return [this](const graph::Node* n) { return knownReduction(n); };
  }
  void recordLaunch(const fusion::KernelLaunch& l, const fusion::Kernel& compiled,
                    const std::vector<Array>& inputs, int64_t allocated, const Array& out,
                    int firstIndex, const std::string& routine = {});
  void forceArrays(const Value& v, Span span);
  void forceScalars(const Value& v, Span span);
  void track(const ArrayRef& a);
  /// After `base` is computed: its lazy views become views of its memory.
  void bindLazyViews(const ArrayRef& base);

  fusion::KernelProvider& kernelProvider_;
  graph::Graph graph_;
  bool aheadOfTime_ = false;
  /// Ahead-of-time mode: every numeric constant of the plan's kernels but a
  /// power's exponent becomes a 0-d input (a known result of a Const node).
  void constantsToInputs(fusion::KernelPlan& plan);
  std::map<std::string, Value> globals_;
  std::vector<std::weak_ptr<ArrayObject>> lazyObjects_;
  std::vector<LaunchRecord> launches_;
  std::vector<Note> notes_;
  std::unordered_set<uint64_t> consumed_; // serials of nodes some materialization computed
  std::unordered_map<const graph::Node*, std::pair<std::weak_ptr<const graph::Node>, Array>>
      reductions_;
  std::function<int(Span)> lineOf_;
  std::function<const Source*(uint32_t)> sourceOf_;
  Frame top_;
  std::ostream* out_;
  std::ostream* err_;
  FpModes fp_;
  PrintOptions print_;
  /// Warnings shown: (message, file, line), like Python's default filter.
  std::set<std::tuple<std::string, uint32_t, int>> warned_;
  bool dryRun_ = false;
  bool recording_ = false;
  int callDepth_ = 0;
  uint64_t planRuns_ = 0; // runPlan calls: a recorded call ran exactly one
  CallPlanCache callPlans_;
  std::unordered_map<const ast::FunctionDefStmt*, std::optional<ReplayableBody>>
      replayableBodies_; // per def: what its body reads, when a plan can replay it
  int64_t callsReplayed_ = 0, callsRecorded_ = 0;
  int64_t plans_ = 0; // kernel plans made: a loop iteration that computed something
  int loopDepth_ = 0; // loops being run: statements in them may replay plans
  int64_t loopValuesReplayed_ = 0;
  uint64_t bindingsErased_ = 0; // names unbound (StatementSite's cached pointers)
  /// Per value computed inside a loop (computeByPlan): what it reads
  /// (nullopt: not replayable), and how often it was recorded and replayed.
  /// The rest lets a repeated statement skip the lookups a first run makes
  /// (StatementPlans.cpp says when each cached pointer stays valid).
  struct StatementSite {
    std::optional<ReplayableBody> body;
    int recorded = 0, replayed = 0, declined = 0;
    /// What the frame's maps looked like when `bound` and `targetSlot` were
    /// found: the same frame, no binding erased since, the same sizes.
    struct MapsState {
      uint64_t frame = 0, erased = 0;
      size_t globals = 0, locals = 0;
      bool operator==(const MapsState&) const = default;
    } boundIn;
    std::vector<const Value*> bound; // per name of body->globals; null: unbound
    Value* targetSlot = nullptr;     // the assigned name's binding; null: unbound
    std::vector<const Value*> args;  // this run's parameters (scratch)
    std::vector<uint64_t> words;     // this run's signature words (scratch)
    /// The plan the last run found, for the signature words it was found by.
    std::vector<uint64_t> planWords;
    const CallPlan* plan = nullptr;
    uint64_t planGeneration = 0; // callPlans_.generation() when `plan` was found
    /// When every parameter was an array: their objects in the last runs
    /// that used `plan` (weak, compared by identity only; see
    /// StatementPlans.cpp), and which names were parameters.
    std::vector<std::weak_ptr<ArrayObject>> planObjects;
    uint64_t planMask = 0;
    /// The target's previous value, recycled: an object only this site holds,
    /// laid out as `spareFor`'s result (see StatementPlans.cpp).
    ArrayRef spare;
    const CallPlan* spareFor = nullptr;
    uint64_t spareGeneration = 0;
  };
  std::unordered_map<const ast::Expr*, StatementSite> statementSites_;
  /// Names each loop's body binds (its loop-carried variables), by loop.
  std::unordered_map<const ast::Stmt*, std::vector<std::string>> loopCarried_;
  int currentLine_ = 0;
  const ast::Stmt* currentStmt_ = nullptr;
};

/// A Python scalar stored into an array of dtype t, converted as NumPy's
/// setitem does: an int must fit, NaN or infinity into an integer array is an
/// error (runtime's castForSetItem); the one rule for every kind of store.
Scalar setItemScalar(const Value& value, DType t, Span span);

/// True when a subscript holds an integer array, a list, a boolean mask or a
/// boolean scalar: NumPy's advanced indexing, which copies.
bool isAdvancedIndex(const std::vector<Value>& index);

/// NumPy's IndexError for an index of a type no subscript accepts.
[[noreturn]] void invalidIndex(Span span);

/// A slice value's bounds on an axis of this length (Python's slice.indices).
SliceBounds sliceOn(const Value& slice, int64_t length, Span span);

/// NumPy's IndexErrors for a subscript using `consumed` axes of an ndim-d
/// array with `ellipses` ellipses.
void checkIndexCount(int consumed, int ellipses, int ndim, Span span);

/// Throws RavelError with the span for a RuntimeError raised by the runtime.
[[noreturn]] void rethrowWithSpan(const RuntimeError& e, Span span);

} // namespace ravel::exec
